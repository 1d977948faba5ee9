# The components of the local stack: how each is started, checked and stopped.
# Ports are fixed so that .stack/env stays valid across restarts.

PRIMARY_PORT=${PRIMARY_PORT:-$(stack_port 15432)}
REPLICA_PORT=${REPLICA_PORT:-$(stack_port 15433)}
HSM_TOKEN_LABEL=${HSM_TOKEN_LABEL:-receipts-dev}

testkit_jar() { echo "$REPO_ROOT/ops/testkit/target/testkit-$VERSION-all.jar"; }

# Builds the service jars when they are missing or older than any source or
# pom, so the stack always runs the code in the work tree.
ensure_built() {
  # Set by callers that have just built everything themselves (the drills run inside Maven).
  [ "${STACK_SKIP_BUILD:-0}" = 1 ] && return 0
  local stamp="$REPO_ROOT/ops/testkit/target/.stack-build-stamp" changed
  if [ -f "$stamp" ]; then
    changed=$(cd "$REPO_ROOT" && find . -path ./.stack -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)
    [ -z "$changed" ] && return 0
    say "sources changed since the last build (e.g. $changed)"
  fi
  step "building the project (mvn -B -q -DskipTests package)"
  (cd "$REPO_ROOT" && mvn -B -q -DskipTests package) || die "build failed"
  touch "$stamp"
}

pg_cli() { java -cp "$(testkit_jar)" net.appstore.testkit.pg.PostgresClusterMain "$@"; }

# --- HSM (SoftHSM2 development token) -------------------------------------
hsm_up() {
  local d="$STACK_DIR/softhsm"; mkdir -p "$d/secrets"; chmod 700 "$d/secrets"
  [ -f "$d/secrets/user-pin" ] || (umask 077; head -c 8 /dev/urandom | od -An -tu4 | tr -d ' \n' | cut -c1-8 >"$d/secrets/user-pin")
  [ -f "$d/secrets/so-pin" ] || (umask 077; head -c 8 /dev/urandom | od -An -tu4 | tr -d ' \n' | cut -c1-8 >"$d/secrets/so-pin")
  HSM_PIN=$(cat "$d/secrets/user-pin") HSM_SO_PIN=$(cat "$d/secrets/so-pin") \
    "$REPO_ROOT/hsm-config/softhsm/init-token" --token-dir "$d/tokens" --conf "$d/softhsm2.conf" --label "$HSM_TOKEN_LABEL" >&2
}
hsm_status() {
  SOFTHSM2_CONF="$STACK_DIR/softhsm/softhsm2.conf" softhsm2-util --show-slots 2>/dev/null | grep -q "Label:.*$HSM_TOKEN_LABEL" \
    && echo "hsm       token '$HSM_TOKEN_LABEL' present ($STACK_DIR/softhsm)" \
    || { echo "hsm       token '$HSM_TOKEN_LABEL' MISSING"; return 1; }
}

# --- PostgreSQL primary + streaming replica --------------------------------
pg_up() {
  pg_cli up --dir "$STACK_DIR/pg" --primary-port "$PRIMARY_PORT" --replica-port "$REPLICA_PORT" >"$STACK_DIR/pg.env"
}
pg_status() {
  if pg_cli status --dir "$STACK_DIR/pg" >/dev/null 2>&1; then
    echo "postgres  primary :$PRIMARY_PORT and streaming replica :$REPLICA_PORT running"
  else
    echo "postgres  NOT running (both servers): $(pg_cli status --dir "$STACK_DIR/pg" 2>&1 | tail -1)"; return 1
  fi
}
pg_down() { [ -d "$STACK_DIR/pg" ] && pg_cli down --dir "$STACK_DIR/pg" >&2 || true; }

# --- supervised services ---------------------------------------------------
# Each file ops/lib/services/NN-NAME.sh appends NAME to SERVICES and defines
# NAME_up (start under the supervisor and wait until healthy), NAME_status
# (one line; non-zero when down) and NAME_env (its KEY=value lines for
# .stack/env). Files load in name order, which is also the start order.
SERVICES=()

service_start() {
  local name=$1; shift
  local pidf="$STACK_DIR/run/$name.pid"
  if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then return 0; fi
  mkdir -p "$STACK_DIR/run" "$STACK_DIR/logs"
  setsid nohup "$REPO_ROOT/ops/lib/supervise" "$name" "$STACK_DIR/logs/$name.log" "$@" >/dev/null 2>&1 &
  echo $! >"$pidf"
}
service_stop() {
  local name=$1 pidf="$STACK_DIR/run/$1.pid"
  [ -f "$pidf" ] || return 0
  kill "$(cat "$pidf")" 2>/dev/null || true
  rm -f "$pidf" "$STACK_DIR/run/$name.child.pid"
}
# java_service NAME MODULE MAIN_CLASS ARGS... : runs a module's -all jar under the supervisor.
java_service() {
  local name=$1 module=$2 main=$3; shift 3
  service_start "$name" java -Xmx512m -cp "$REPO_ROOT/$module/target/$(basename "$module")-$VERSION-all.jar" "$main" "$@"
}

wait_healthy() { # NAME URL [seconds]
  local name=$1 url=$2 limit=${3:-60} i
  for ((i = 0; i < limit * 2; i++)); do
    curl -fsS --max-time 2 --cacert "$STACK_DIR/tls/ca.pem" "$url" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -20 "$STACK_DIR/logs/$name.log" >&2 || true
  die "$name did not become healthy at $url within ${limit}s (log: $STACK_DIR/logs/$name.log)"
}

write_env() {
  local f="$STACK_DIR/env.tmp"
  {
    echo "# written by ./ops/stack up; development values only"
    echo "STACK_DIR=$STACK_DIR"
    echo "SOFTHSM2_CONF=$STACK_DIR/softhsm/softhsm2.conf"
    echo "PKCS11_LIBRARY=$(softhsm_library)"
    echo "HSM_TOKEN_LABEL=$HSM_TOKEN_LABEL"
    echo "HSM_PIN=$(cat "$STACK_DIR/softhsm/secrets/user-pin")"
    cat "$STACK_DIR/pg.env"
    echo "CA_CERT=$STACK_DIR/tls/ca.pem"
    echo "TRUSTSTORE=$STACK_DIR/tls/truststore.p12"
    for name in "${SERVICES[@]}"; do "${name}_env"; done
  } >"$f"
  chmod 600 "$f"
  mv "$f" "$STACK_DIR/env"
}

stack_up() {
  ensure_packages
  ensure_built
  mkdir -p "$STACK_DIR"; chmod 700 "$STACK_DIR"
  echo "$STACK_PORT_OFFSET" >"$STACK_DIR/port-offset"
  # The store's public URL is its receipts' issuer: the signer and verifier are configured with it.
  export STORE_ISSUER=${STORE_ISSUER:-$(catalog_url)} STORE_PUBLIC_URL=${STORE_PUBLIC_URL:-$(catalog_url)}
  step "TLS: development CA"; ensure_dev_ca; ensure_truststore; issue_cert server server
  step "HSM: SoftHSM2 token '$HSM_TOKEN_LABEL'"; hsm_up
  step "PostgreSQL: primary :$PRIMARY_PORT + streaming replica :$REPLICA_PORT"; pg_up
  set -a; source "$STACK_DIR/pg.env"; set +a
  export SOFTHSM2_CONF="$STACK_DIR/softhsm/softhsm2.conf" HSM_TOKEN_LABEL PKCS11_LIBRARY
  PKCS11_LIBRARY=$(softhsm_library)
  export TLS_KEYSTORE="$STACK_DIR/tls/server.p12" TLS_KEYSTORE_PASSWORD
  TLS_KEYSTORE_PASSWORD=$(cat "$STACK_DIR/tls/server.p12.pass")
  export TRUSTSTORE="$STACK_DIR/tls/truststore.p12" TRUSTSTORE_PASSWORD=changeit
  local env_lines
  for name in "${SERVICES[@]}"; do
    step "service: $name"; "${name}_up"
    # What a service publishes (URLs, certificates) is in the environment of those started after it.
    env_lines=$("${name}_env")
    set -a; eval "$env_lines"; set +a
  done
  write_env
  step "stack is up; environment in $STACK_DIR/env"
  stack_status
}

stack_status() {
  local rc=0
  # keytool (keys_status) reads the registry's URL from the environment.
  if [ -z "${PRIMARY_JDBC_URL:-}" ] && [ -f "$STACK_DIR/pg.env" ]; then set -a; source "$STACK_DIR/pg.env"; set +a; fi
  hsm_status || rc=1
  pg_status || rc=1
  for name in "${SERVICES[@]}"; do "${name}_status" || rc=1; done
  return $rc
}

stack_down() {
  # A part that runs several processes (the fault proxies) stops them in its NAME_down.
  for name in "${SERVICES[@]}"; do
    if declare -F "${name}_down" >/dev/null; then "${name}_down"; else service_stop "$name"; fi
  done
  if [ "${1:-}" = "--purge" ]; then
    [ -d "$STACK_DIR/pg" ] && pg_cli destroy --dir "$STACK_DIR/pg" >&2
    rm -rf "$STACK_DIR"; say "stack stopped and $STACK_DIR deleted"
  else
    pg_down; say "stack stopped (data kept in $STACK_DIR; --purge deletes it)"
  fi
}

source "$REPO_ROOT/ops/lib/faults.sh"

for service_file in "$REPO_ROOT"/ops/lib/services/*.sh; do
  [ -f "$service_file" ] || continue
  # shellcheck source=/dev/null
  source "$service_file"
done
