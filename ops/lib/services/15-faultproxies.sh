# Fault proxies: small TCP proxies (ops/dev-services, net.appstore.devservices.faultproxy), each its
# own process under the supervisor, one listen port on 127.0.0.1 -> one target. The stack places
# them between a client and a dependency so that a fault switch makes that dependency really
# unreachable or slow for that client only, while the dependency itself keeps running:
#
#   jwks              :18901 -> signer :18443   JWKS_URL / SIGNER_JWKS_URL (verifier, catalog)  jwks-unreachable
#   blocklist-signer  :18902 -> signer :18443   the catalog's blocklist signing calls           blocklist-generation-fails
#   catalog-primary   :18903 -> primary :15432  the catalog's primary connections               catalog-db-slow
#   catalog-replica   :18904 -> replica :15433  the catalog's replica (browsing) connections    catalog-db-slow
#   search            :18905 -> replica :15433  the catalog's search connections                search-down
#
# (ports plus STACK_PORT_OFFSET). Each proxy reads its mode from $STACK_DIR/faultproxy/NAME.mode
# (pass | refuse | hang | slow=<ms>; no file: pass) and reports what it applied in
# NAME.mode.applied. TLS and the PostgreSQL protocol pass through untouched.
SERVICES+=(faultproxies)

# NAME:LISTEN_PORT:TARGET_PORT, targets on localhost.
FAULT_PROXIES=(
  "jwks:$(stack_port 18901):${SIGNER_PORT:-$(stack_port 18443)}"
  "blocklist-signer:$(stack_port 18902):${SIGNER_PORT:-$(stack_port 18443)}"
  "catalog-primary:$(stack_port 18903):$PRIMARY_PORT"
  "catalog-replica:$(stack_port 18904):$REPLICA_PORT"
  "search:$(stack_port 18905):$REPLICA_PORT"
)

faultproxy_dir() { echo "$STACK_DIR/faultproxy"; }

# faultproxy_port NAME: the port the proxy NAME listens on.
faultproxy_port() {
  local entry
  for entry in "${FAULT_PROXIES[@]}"; do
    [ "${entry%%:*}" = "$1" ] && { entry=${entry#*:}; echo "${entry%%:*}"; return 0; }
  done
  die "no fault proxy named '$1'"
}

# jdbc_via_proxy URL NAME: the JDBC URL with its port replaced by that of the proxy NAME.
jdbc_via_proxy() {
  local url=$1 target=$2 port; port=$(faultproxy_port "$3")
  printf '%s' "${url/:$target\//:$port/}"
}

faultproxies_up() {
  local jar="$REPO_ROOT/ops/dev-services/target/dev-services-$VERSION-all.jar" entry name listen target
  [ -f "$jar" ] || die "fault proxies: $jar is missing; build it with: mvn -B -q -DskipTests -pl ops/dev-services -am package"
  mkdir -p "$(faultproxy_dir)"
  for entry in "${FAULT_PROXIES[@]}"; do
    IFS=: read -r name listen target <<<"$entry"
    service_start "proxy-$name" java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k \
      -cp "$jar" net.appstore.devservices.faultproxy.FaultProxyMain \
      --listen-port "$listen" --target "localhost:$target" --mode-file "$(faultproxy_dir)/$name.mode"
  done
  for entry in "${FAULT_PROXIES[@]}"; do
    IFS=: read -r name listen target <<<"$entry"
    faultproxy_wait_applied "$name" "$(faultproxy_mode "$name")"
  done
}

# The mode the switch of proxy NAME asks for (pass when none was set).
faultproxy_mode() { cat "$(faultproxy_dir)/$1.mode" 2>/dev/null || echo pass; }

# faultproxy_wait_applied NAME MODE: waits until the running proxy reports MODE as applied.
faultproxy_wait_applied() {
  local name=$1 mode=$2 applied="$(faultproxy_dir)/$1.mode.applied" i
  for ((i = 0; i < 100; i++)); do
    [ "$(cat "$applied" 2>/dev/null)" = "$mode" ] && return 0
    sleep 0.1
  done
  die "fault proxy $name did not apply '$mode' within 10 s (it reports: $(cat "$applied" 2>/dev/null || echo nothing); log: $STACK_DIR/logs/proxy-$name.log)"
}

# faultproxy_set NAME MODE: switches the running proxy NAME and waits until it has applied MODE.
faultproxy_set() {
  local name=$1 mode=$2
  faultproxy_port "$name" >/dev/null
  [ -f "$STACK_DIR/run/proxy-$name.pid" ] || die "fault proxy $name is not running: ./ops/stack up"
  printf '%s\n' "$mode" >"$(faultproxy_dir)/$name.mode.tmp"
  mv "$(faultproxy_dir)/$name.mode.tmp" "$(faultproxy_dir)/$name.mode"
  faultproxy_wait_applied "$name" "$mode"
  say "fault proxy $name (:$(faultproxy_port "$name")) now: $mode"
}

faultproxies_status() {
  local entry name listen target modes=() rc=0 pid
  for entry in "${FAULT_PROXIES[@]}"; do
    IFS=: read -r name listen target <<<"$entry"
    pid=$(cat "$STACK_DIR/run/proxy-$name.child.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      modes+=("$name:$listen $(cat "$(faultproxy_dir)/$name.mode.applied" 2>/dev/null || echo '?')")
    else
      modes+=("$name:$listen DOWN"); rc=1
    fi
  done
  local IFS=,
  echo "proxies   ${modes[*]}"
  return $rc
}

faultproxies_env() { echo "FAULTPROXY_DIR=$(faultproxy_dir)"; }

faultproxies_down() {
  local entry
  for entry in "${FAULT_PROXIES[@]}"; do service_stop "proxy-${entry%%:*}"; done
}

# --- fault switches on the proxies ----------------------------------------------------------
FAULT_DESC[jwks-unreachable]="the signer's JWKS URL refuses connections (proxy 'jwks'); the signer keeps running (F10)"
fault_on_jwks_unreachable() {
  faultproxy_set jwks refuse
  say "the verifier and the catalog's blocklist check can no longer fetch $(faultproxy_jwks_url);"
  say "  the signer itself still runs and signs. The verifier keeps verifying with its cached keys up to"
  say "  their stale age; an unknown kid answers 503 (F10). Blocklist publication fails its signature check."
}
fault_off_jwks_unreachable() { faultproxy_set jwks pass; say "the JWKS URL answers again"; }

FAULT_DESC[catalog-db-slow]="every answer of the catalog's databases (primary, replica) arrives late (default 1500 ms; ARG: ms)"
fault_on_catalog_db_slow() {
  local ms=${1:-1500}
  [[ "$ms" =~ ^[0-9]+$ ]] && [ "$ms" -gt 0 ] || die "catalog-db-slow: the delay must be milliseconds above 0, not '$ms'"
  faultproxy_set catalog-primary "slow=$ms"
  faultproxy_set catalog-replica "slow=$ms"
  say "each answer the catalog gets from PostgreSQL now arrives ${ms} ms late (search has its own proxy)."
  say "  Cached pages keep serving; loads queue on the bulkheads and the excess gets 503 + Retry-After (F2)."
}
fault_off_catalog_db_slow() {
  faultproxy_set catalog-primary pass
  faultproxy_set catalog-replica pass
  say "the catalog's databases answer at full speed again"
}

FAULT_DESC[search-down]="the catalog's search database refuses connections (proxy 'search'); browsing continues (F3)"
fault_on_search_down() {
  faultproxy_set search refuse
  say "search connections are refused and the open ones cut: a search not in the catalog's cache answers"
  say "  503 SEARCH_UNAVAILABLE with Retry-After; results cached before stay served until they expire."
  say "  Browsing, app pages and update checks (replica, their own pool) are unaffected (F3)."
}
fault_off_search_down() { faultproxy_set search pass; say "search connections are accepted again"; }

FAULT_DESC[blocklist-generation-fails]="the catalog can no longer reach the signer for blocklists (proxy 'blocklist-signer'): publications fail (F17)"
fault_on_blocklist_generation_fails() {
  faultproxy_set blocklist-signer refuse
  say "every blocklist publication fails now (scheduled, ./ops/stack blocklist-publish, or the CLI): the"
  say "  signer is unreachable for blocklists only (purchases still sign). The last good signed file keeps"
  say "  being served and grows old (F17). Trigger a run now: ./ops/stack blocklist-publish"
}
fault_off_blocklist_generation_fails() {
  faultproxy_set blocklist-signer pass
  say "blocklist signing reachable again; the next run publishes (now: ./ops/stack blocklist-publish)"
}

# The JWKS URL clients of the stack use: the signer's, through the 'jwks' proxy (same TLS name).
faultproxy_jwks_url() { echo "https://localhost:$(faultproxy_port jwks)/.well-known/jwks.json"; }
