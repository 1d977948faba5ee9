# Verifier: the public receipt verification service (module verifier), HTTPS on
# $VERIFIER_PORT, admin (plain HTTP) on 127.0.0.1:$VERIFIER_ADMIN_PORT, run from
# its -all jar under the supervisor with verifier/config/verifier.yml.
#
# It needs two values the keys and signer parts of the stack export before it
# starts: JWKS_URL (the signer's /.well-known/jwks.json) and ROOT_CERT (PEM file
# of the pinned root certificate every signing key must chain to). Without them
# it is not started, and up/status say so. It reads purchases from
# REPLICA_JDBC_URL and falls back to PRIMARY_JDBC_URL; it accepts receipts with
# iss=$STORE_ISSUER (default https://localhost:18643, the store's issuer in the
# signer's configuration too).
VERIFIER_PORT=${VERIFIER_PORT:-$(stack_port 18543)}
VERIFIER_ADMIN_PORT=${VERIFIER_ADMIN_PORT:-$(stack_port 18544)}
SERVICES+=(verifier)

verifier_url() { echo "https://localhost:$VERIFIER_PORT"; }
verifier_admin_url() { echo "http://127.0.0.1:$VERIFIER_ADMIN_PORT"; }

# The names of the required variables that are not set, if any.
verifier_missing() {
  local missing=()
  [ -n "${JWKS_URL:-}" ] || missing+=(JWKS_URL)
  [ -n "${ROOT_CERT:-}" ] || missing+=(ROOT_CERT)
  echo "${missing[*]}"
}

verifier_up() {
  local missing; missing=$(verifier_missing)
  if [ -n "$missing" ]; then
    say "verifier NOT started: $missing not set. It needs the signer's JWKS URL (JWKS_URL) and the"
    say "  pinned root certificate (ROOT_CERT), which ops/lib/services/10-keys.sh and 20-signer.sh export."
    return 0
  fi
  [ -f "$ROOT_CERT" ] || die "verifier: ROOT_CERT=$ROOT_CERT is not a readable file"
  local jar="$REPO_ROOT/verifier/target/verifier-$VERSION-all.jar"
  [ -f "$jar" ] || die "verifier: $jar is missing; build it with: mvn -B -q -DskipTests package"
  export VERIFIER_PORT VERIFIER_ADMIN_PORT JWKS_URL ROOT_CERT
  java_service verifier verifier net.appstore.verifier.VerifierApplication \
    server "$REPO_ROOT/verifier/config/verifier.yml"
  # The process answering is enough to go on: it starts without its key set or database and
  # answers 503 until they are reachable. verifier_status shows the health checks.
  wait_healthy verifier "$(verifier_admin_url)/__lbheartbeat__"
}

verifier_status() {
  local missing heartbeat; missing=$(verifier_missing)
  if ! curl -fsS --max-time 2 "$(verifier_admin_url)/__lbheartbeat__" >/dev/null 2>&1; then
    if [ -n "$missing" ]; then
      echo "verifier  not started: $missing not set (needs the keys and signer parts of the stack)"
      return 0
    fi
    echo "verifier  NOT answering at $(verifier_admin_url) (log: $STACK_DIR/logs/verifier.log)"; return 1
  fi
  if heartbeat=$(curl -fsS --max-time 5 "$(verifier_admin_url)/__heartbeat__" 2>/dev/null); then
    echo "verifier  $(verifier_url)/v1/verify healthy (key set fresh, replica reachable)"
  else
    heartbeat=$(curl -sS --max-time 5 "$(verifier_admin_url)/__heartbeat__" 2>/dev/null)
    echo "verifier  $(verifier_url)/v1/verify DEGRADED: $heartbeat"; return 1
  fi
}

verifier_env() {
  [ -n "$(verifier_missing)" ] && return 0
  echo "VERIFIER_URL=$(verifier_url)"
  echo "VERIFIER_ADMIN_URL=$(verifier_admin_url)"
}
