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
  # Clients fetch the JWKS through the 'jwks' fault proxy (15-faultproxies.sh: jwks-unreachable).
  JWKS_URL=$(faultproxy_jwks_url)
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
  echo "JWKS_URL=$(faultproxy_jwks_url)"
  echo "SIGNER_JWKS_URL=$(faultproxy_jwks_url)"
  echo "SIGNER_DIRECT_JWKS_URL=$(signer_url)/.well-known/jwks.json"
  echo "SIGNER_CLIENT_CERT=$(tls_dir)/store-caller.pem"
  echo "SIGNER_CLIENT_KEY=$(tls_dir)/store-caller-key.pem"
}

# --- fault switches ---------------------------------------------------------------------------
FAULT_DESC[signer-stop]="the signer process is stopped and kept down (F11); purchases cannot sign"
fault_on_signer_stop() {
  service_hold_fault signer
  say "purchases now answer 503 before any charge; receipts already issued keep verifying (the verifier"
  say "  has the keys cached, F11); blocklist publication fails, the last good file stays served."
}
fault_off_signer_stop() { service_release_fault signer "$(signer_admin_url)/__lbheartbeat__"; }

FAULT_DESC[key-expired]="the ACTIVE receipt key's validity ends now (registry not_after); the signer refuses (F12)"
# The original not_after is kept in $STACK_DIR/faults/key-expired.saved (kid and timestamp) until off.
fault_on_key_expired() {
  local saved="$STACK_DIR/faults/key-expired.saved" row
  if [ -f "$saved" ]; then
    say "already on: key $(cut -d'|' -f1 "$saved") has expired (its not_after is saved in $saved)"
    return 0
  fi
  row=$(stack_psql "SELECT kid || '|' || not_after FROM keys.signing_key WHERE purpose = 'receipt' AND state = 'ACTIVE'")
  [ -n "$row" ] || die "no ACTIVE receipt key in the registry"
  mkdir -p "$STACK_DIR/faults"; printf '%s\n' "$row" >"$saved"
  # The smallest change that ends the window now; not_after must stay after not_before.
  stack_psql "UPDATE keys.signing_key SET not_after = greatest(not_before + interval '1 millisecond', now())
              WHERE kid = '${row%%|*}'" >/dev/null
  say "set not_after of the ACTIVE receipt key ${row%%|*} to now in the key registry (was ${row#*|})"
  signer_wait_heartbeat 'NO_VALID_KEY' "the signer refuses to sign with it (NO_VALID_KEY)"
  say "the signer answers 503 NO_VALID_KEY to receipt signing: a purchase is voided before any charge (F12)."
  say "  ./ops/stack status shows the key EXPIRED; the fix in production is a rotation (ops/runbooks)."
}
fault_off_key_expired() {
  local saved="$STACK_DIR/faults/key-expired.saved" kid not_after
  if [ ! -f "$saved" ]; then say "no saved validity to restore: key-expired was not on"; return 0; fi
  IFS='|' read -r kid not_after <"$saved"
  stack_psql "UPDATE keys.signing_key SET not_after = '$not_after' WHERE kid = '$kid'" >/dev/null
  rm -f "$saved"
  say "restored not_after of $kid to $not_after"
  signer_wait_heartbeat '"receipt-key":{[^}]*"healthy":true' "the signer signs with $kid again"
}

# signer_wait_heartbeat PATTERN WHAT: waits (the signer rereads the registry every 5 s) until the
# signer's health report matches PATTERN (grep -E).
signer_wait_heartbeat() {
  local i
  for ((i = 0; i < 60; i++)); do
    curl -sS --max-time 5 "$(signer_admin_url)/__heartbeat__" 2>/dev/null | grep -Eq "$1" && { say "$2"; return 0; }
    sleep 0.5
  done
  die "the signer did not report it within 30 s: $(curl -sS --max-time 5 "$(signer_admin_url)/__heartbeat__" 2>&1 | cut -c1-300)"
}
