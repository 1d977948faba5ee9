# Demo part: a signing key rotation with keytool, the operators' CLI.
# Sourced by ops/demo with .stack/env exported (KEYTOOL is ./ops/keytool).

kt() { "${KEYTOOL:-$REPO_ROOT/ops/keytool}" "$@" >&2; }

step "keytool list: the keys in the registry (kid = HSM label; private keys never leave the HSM)"
kt list

step "keytool rotate --purpose receipt: generate the next receipt key in the HSM and publish it"
kt rotate --purpose receipt --actor demo
say "    The new key is now in the key set (JWKS) the signer serves, but the signer does not sign"
say "    with it yet: activation waits until it has been published for the verifiers' key-cache"
say "    age (keys.key-cache-age, 24 h by default), so that no verifier holding a cached key set"
say "    rejects the receipts it signs. In production you run 'keytool rotate' again after that"
say "    (cron can); it resumes where it stopped. This development stack does not wait:"

step "keytool rotate --purpose receipt --force: activate now (dev stack only; recorded as forced)"
kt rotate --purpose receipt --force --reason "demo: dev stack does not wait" --actor demo
# Skipping the wait has a price a production rotation never pays: verifiers have not learned the
# key yet. Tell them now, once the signer serves it (it re-reads the registry every few seconds).
new_kid=$("${KEYTOOL:-$REPO_ROOT/ops/keytool}" list --json --purpose receipt \
  | grep -o '"kid":"[^"]*","purpose":"receipt","alg":"[^"]*","state":"ACTIVE"' | sed 's/"kid":"\([^"]*\)".*/\1/')
for _ in $(seq 1 60); do
  curl -fsS --cacert "$CA_CERT" "$JWKS_URL" 2>/dev/null | grep -q "\"$new_kid\"" && break
  sleep 0.5
done
if [ -n "${VERIFIER_ADMIN_URL:-}" ]; then
  say "    the signer serves $new_kid; verifier: $(curl -fsS -X POST "$VERIFIER_ADMIN_URL/tasks/refresh-keys" 2>&1 | head -1)"
fi

step "keytool list: the new key is ACTIVE; the old one is RETIRING (verifies its receipts, signs nothing)"
kt list
say "    A later 'rotate' retires the old key once every receipt it signed has expired (180 days);"
say "    'keytool destroy KID' then deletes it from the HSM. Runbook: ops/runbooks/key-rotation.md"

step "keytool check-expiry and audit verify: what monitoring runs"
kt check-expiry --warn-days 30 || say "    (exit $?: a purpose needs rotation)"
kt audit verify
