# catalog-lite (module catalog-lite): browsing, app pages, reviews, search, update check and the
# signed blocklist. HTTPS on localhost:$CATALOG_PORT, admin (plain HTTP) on
# 127.0.0.1:$CATALOG_ADMIN_PORT, run from its -all jar under the supervisor with
# catalog-lite/config/catalog.yml.
#
# catalog_up migrates the catalog schema (db-migrate) and, when the catalog is empty, seeds the
# generated data set: $CATALOG_SEED_APPS apps (default 10,000, with 100,000 reviews; about 10 s)
# from seed $CATALOG_SEED. Browsing and reviews need nothing else; reviews check tokens of the
# development IdP (40-idp.sh).
#
# Blocklist publication needs the signer: when SIGNER_URL and JWKS_URL are set (20-signer.sh), the
# catalog gets a client certificate (CN=catalog, the caller signer.yml allows to sign blocklists
# for issuer $CATALOG_PUBLIC_URL) and publishes every 10 minutes into $STACK_DIR/catalog/blocklist;
# without them it serves what is published there, if anything. ./ops/stack blocklist-publish
# runs a publication now (admin task blocklist-publish).
#
# The catalog reaches its databases, its search database and the signer's blocklist endpoint
# through fault proxies (15-faultproxies.sh), so that catalog-db-slow, search-down and
# blocklist-generation-fails hit the catalog only. cache-clear drops its object caches.
CATALOG_PORT=${CATALOG_PORT:-$(stack_port 18643)}
CATALOG_ADMIN_PORT=${CATALOG_ADMIN_PORT:-$(stack_port 18644)}
CATALOG_SEED_APPS=${CATALOG_SEED_APPS:-10000}
CATALOG_SEED=${CATALOG_SEED:-1}
SERVICES+=(catalog)

catalog_url() { echo "https://localhost:$CATALOG_PORT"; }
catalog_admin_url() { echo "http://127.0.0.1:$CATALOG_ADMIN_PORT"; }
catalog_jar() { echo "$REPO_ROOT/catalog-lite/target/catalog-lite-$VERSION-all.jar"; }

# The environment catalog.yml reads, besides what stack_up exports (database URLs, TLS).
catalog_export() {
  export CATALOG_PORT CATALOG_ADMIN_PORT
  export CATALOG_PUBLIC_URL=${CATALOG_PUBLIC_URL:-$(catalog_url)}
  export IDP_URL=${IDP_URL:-https://localhost:${IDP_PORT:-$(stack_port 18743)}}
  export IDP_JWKS_URL="$IDP_URL/.well-known/jwks.json"
  export BLOCKLIST_DIR="$STACK_DIR/catalog/blocklist"
  # The catalog's own ways to its dependencies, through the fault proxies (catalog.yml reads these
  # before the shared PRIMARY_JDBC_URL / REPLICA_JDBC_URL / SIGNER_URL).
  local primary_url replica_url
  primary_url=${PRIMARY_JDBC_URL:-$(sed -n 's/^PRIMARY_JDBC_URL=//p' "$STACK_DIR/pg.env")}
  replica_url=${REPLICA_JDBC_URL:-$(sed -n 's/^REPLICA_JDBC_URL=//p' "$STACK_DIR/pg.env")}
  export CATALOG_PRIMARY_JDBC_URL CATALOG_REPLICA_JDBC_URL SEARCH_JDBC_URL
  CATALOG_PRIMARY_JDBC_URL=$(jdbc_via_proxy "$primary_url" "$PRIMARY_PORT" catalog-primary)
  CATALOG_REPLICA_JDBC_URL=$(jdbc_via_proxy "$replica_url" "$REPLICA_PORT" catalog-replica)
  SEARCH_JDBC_URL=$(jdbc_via_proxy "$replica_url" "$REPLICA_PORT" search)
  if [ -n "${SIGNER_URL:-}" ] && [ -n "${JWKS_URL:-}" ]; then
    issue_cert catalog client
    export SIGNER_JWKS_URL=$JWKS_URL
    export BLOCKLIST_SIGNER_URL="https://localhost:$(faultproxy_port blocklist-signer)"
    export CATALOG_CLIENT_KEYSTORE="$STACK_DIR/tls/catalog.p12"
    CATALOG_CLIENT_KEYSTORE_PASSWORD=$(cat "$STACK_DIR/tls/catalog.p12.pass")
    export CATALOG_CLIENT_KEYSTORE_PASSWORD
    # The purchase flow signs as the store (caller store-caller), not as the catalog.
    issue_cert store-caller client
    export STORE_CLIENT_KEYSTORE="$STACK_DIR/tls/store-caller.p12"
    STORE_CLIENT_KEYSTORE_PASSWORD=$(cat "$STACK_DIR/tls/store-caller.p12.pass")
    export STORE_CLIENT_KEYSTORE_PASSWORD
    export PURCHASE_JOURNAL="$STACK_DIR/catalog/purchase-journal/completions.jsonl"
  fi
}

# catalog_cli COMMAND [ARGS...]: a command of the catalog application (db-migrate, seed,
# blocklist-publish) against the stack's databases.
catalog_cli() {
  local command=$1; shift
  catalog_export
  java -cp "$(catalog_jar)" net.appstore.catalog.CatalogApplication "$command" "$@" \
    "$REPO_ROOT/catalog-lite/config/catalog.yml"
}

# catalog_seed [--apps N] [--reviews N] [--seed S] [--replace]: what ./ops/stack seed runs. Refuses
# a catalog that already holds apps unless --replace is given.
catalog_seed() {
  if [ -z "${PRIMARY_JDBC_URL:-}" ]; then
    [ -f "$STACK_DIR/env" ] || die "no $STACK_DIR/env: run ./ops/stack up first"
    set -a; source "$STACK_DIR/env"; set +a
  fi
  catalog_cli seed "$@"
}

catalog_up() {
  [ -f "$(catalog_jar)" ] || die "catalog: $(catalog_jar) is missing; build it with: mvn -B -q -DskipTests -pl catalog-lite -am package"
  mkdir -p "$STACK_DIR/catalog/blocklist"
  catalog_cli db-migrate >&2
  catalog_cli seed --if-empty --apps "$CATALOG_SEED_APPS" --seed "$CATALOG_SEED" >&2
  catalog_export
  java_service catalog catalog-lite net.appstore.catalog.CatalogApplication \
    server "$REPO_ROOT/catalog-lite/config/catalog.yml"
  wait_healthy catalog "$(catalog_admin_url)/__lbheartbeat__"
}

catalog_status() {
  local heartbeat
  if ! curl -fsS --max-time 2 "$(catalog_admin_url)/__lbheartbeat__" >/dev/null 2>&1; then
    echo "catalog   NOT answering at $(catalog_admin_url) (log: $STACK_DIR/logs/catalog.log)"; return 1
  fi
  if heartbeat=$(curl -fsS --max-time 5 "$(catalog_admin_url)/__heartbeat__" 2>/dev/null); then
    echo "catalog   $(catalog_url)/api/v1 healthy (primary and replica reachable)"
  else
    heartbeat=$(curl -sS --max-time 5 "$(catalog_admin_url)/__heartbeat__" 2>/dev/null)
    echo "catalog   $(catalog_url)/api/v1 DEGRADED (serving from cache where it can): $heartbeat"; return 1
  fi
}

catalog_env() {
  echo "CATALOG_URL=$(catalog_url)"
  echo "CATALOG_ADMIN_URL=$(catalog_admin_url)"
}

# catalog_blocklist_publish: one blocklist publication now, through the running catalog's admin task
# (what ./ops/stack blocklist-publish runs). Prints its JSON answer; non-zero when nothing was
# published because the run failed or was refused.
catalog_blocklist_publish() {
  local answer
  answer=$(curl -sS --max-time 30 -X POST "$(catalog_admin_url)/tasks/blocklist-publish" 2>&1) \
    || die "the catalog does not answer at $(catalog_admin_url): $answer"
  printf '%s\n' "$answer"
  case "$answer" in
    *'"published":true'*) ;;
    *'"error"'*) return 1 ;;
    *'"published":false'*) ;;
    *) die "unexpected answer (is blocklist publication configured? it needs SIGNER_URL): $answer" ;;
  esac
}

FAULT_DESC[cache-clear]="drops every object cache of the catalog now (admin task cache-clear); off does nothing (F2)"
fault_on_cache_clear() {
  local answer
  answer=$(curl -fsS --max-time 10 -X POST "$(catalog_admin_url)/tasks/cache-clear" 2>&1) \
    || die "the catalog's admin task did not answer at $(catalog_admin_url): $answer"
  say "cleared the catalog's object caches (entries each held): $answer"
  say "  the next request for each page loads it from the database, coalesced per key, under the bulkheads (F2)."
}
fault_off_cache_clear() {
  say "nothing to undo: the caches refill as pages are requested (cache-clear is a one-shot action)"
}
