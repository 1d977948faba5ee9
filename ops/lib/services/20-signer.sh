# Signer: the HSM-backed receipt and blocklist signing service (module signer, signer/README.md).
# HTTPS on $SIGNER_PORT (callers of /v1/* present a client certificate from the stack's CA; the
# JWKS is public), admin (plain HTTP) on 127.0.0.1:$SIGNER_ADMIN_PORT. Runs from its -all jar
# under the supervisor, which also restarts it after an HSM outage: the signer exits with status
# 75 once a fresh probe process reaches the token again (SunPKCS11 cannot recover in-process).
#
# Needs the keys part (10-keys.sh) before it: the registry schema and an ACTIVE receipt key. It
# exports JWKS_URL (and SIGNER_JWKS_URL, SIGNER_URL) for the services after it and writes
# SIGNER_URL, SIGNER_ADMIN_URL, JWKS_URL, SIGNER_JWKS_URL and the
# development caller's client certificate (CN=store-caller, may sign purchase receipts) as
# SIGNER_CLIENT_CERT / SIGNER_CLIENT_KEY into .stack/env.
SIGNER_PORT=${SIGNER_PORT:-$(stack_port 18443)}
SIGNER_ADMIN_PORT=${SIGNER_ADMIN_PORT:-$(stack_port 18444)}
SERVICES+=(signer)

signer_url() { echo "https://localhost:$SIGNER_PORT"; }
signer_admin_url() { echo "http://127.0.0.1:$SIGNER_ADMIN_PORT"; }
signer_jar() { echo "$REPO_ROOT/signer/target/signer-$VERSION-all.jar"; }
signer_config() { echo "$REPO_ROOT/signer/config/signer.yml"; }

# The JVM flag hsm-config needs to find a token by label (hsm-config/README.md).
SIGNER_JAVA_FLAGS=(--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED)

# The signer's command line with the stack's environment plus the development PIN, which is
# handed to the signer's process only (stack_up exports the rest).
signer_java() {
  HSM_PIN=${HSM_PIN:-$(cat "$STACK_DIR/softhsm/secrets/user-pin")} \
  SIGNER_PORT=$SIGNER_PORT SIGNER_ADMIN_PORT=$SIGNER_ADMIN_PORT \
    java "${SIGNER_JAVA_FLAGS[@]}" "$@"
}

signer_up() {
  if [ ! -f "$(signer_jar)" ]; then
    say "    building the signer (mvn -B -q -DskipTests -pl signer -am package)"
    (cd "$REPO_ROOT" && mvn -B -q -DskipTests -pl signer -am package) >&2
  fi
  issue_cert store-caller client
  # Registry, issuance log and the signer's own schema; idempotent (Flyway).
  signer_java -cp "$(signer_jar)" net.appstore.signer.SignerApplication \
    db-migrate "$(signer_config)" >&2
  (
    export HSM_PIN=${HSM_PIN:-$(cat "$STACK_DIR/softhsm/secrets/user-pin")}
    export SIGNER_PORT SIGNER_ADMIN_PORT
    service_start signer java "${SIGNER_JAVA_FLAGS[@]}" -Xmx512m -cp "$(signer_jar)" \
      net.appstore.signer.SignerApplication server "$(signer_config)"
  )
  # The process answering is enough to go on: without a key or HSM it answers 503 and reports
  # not ready; signer_status says why.
  wait_healthy signer "$(signer_admin_url)/__lbheartbeat__"
  export JWKS_URL SIGNER_URL SIGNER_JWKS_URL
  JWKS_URL="$(signer_url)/.well-known/jwks.json"
  SIGNER_JWKS_URL=$JWKS_URL # the name catalog-lite's configuration reads
  SIGNER_URL=$(signer_url)
  signer_status >&2 || say "    the signer runs but is NOT ready; see above (an ACTIVE receipt key comes from 10-keys.sh: keytool rotate --purpose receipt)"
}

# One line: ready with its keys, or what its health checks say.
signer_status() {
  local heartbeat
  if ! curl -fsS --max-time 2 "$(signer_admin_url)/__lbheartbeat__" >/dev/null 2>&1; then
    echo "signer    NOT answering at $(signer_admin_url) (log: $STACK_DIR/logs/signer.log)"; return 1
  fi
  heartbeat=$(curl -sS --max-time 10 "$(signer_admin_url)/__heartbeat__" 2>/dev/null)
  if printf '%s' "$heartbeat" | grep -q '"status":"ok"'; then
    echo "signer    $(signer_url) ready; receipt key $(printf '%s' "$heartbeat" | sed -n 's/.*"receipt-key":{[^}]*"message":"\([^"]*\)".*/\1/p')"
  else
    echo "signer    $(signer_url) NOT READY: $(printf '%s' "$heartbeat" | tr -d '\n' | cut -c1-400)"; return 1
  fi
}

signer_env() {
  echo "SIGNER_URL=$(signer_url)"
  echo "SIGNER_ADMIN_URL=$(signer_admin_url)"
  echo "JWKS_URL=$(signer_url)/.well-known/jwks.json"
  echo "SIGNER_JWKS_URL=$(signer_url)/.well-known/jwks.json"
  echo "SIGNER_CLIENT_CERT=$(tls_dir)/store-caller.pem"
  echo "SIGNER_CLIENT_KEY=$(tls_dir)/store-caller-key.pem"
}
