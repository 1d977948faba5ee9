# Demo part: the signer. Receipts signed in the HSM for an authenticated caller, the public key
# set, idempotency, refusals, and the hash-chained issuance log.
# Sourced by ops/demo with .stack/env exported (SIGNER_URL, JWKS_URL, SIGNER_CLIENT_CERT/KEY).

step "Signer: the public key set (GET /.well-known/jwks.json, no client certificate needed)"
if [ -z "${SIGNER_URL:-}" ]; then
  say "    skipped: the signer is not running"
else
  demo_signer() { # METHOD PATH [BODY] -> "STATUS BODY", with the development caller's certificate
    local body=${3:-}
    curl -sS --max-time 10 --cacert "$CA_CERT" --cert "$SIGNER_CLIENT_CERT" \
      --key "$SIGNER_CLIENT_KEY" -X "$1" -H 'Content-Type: application/json' \
      ${body:+--data-binary "$body"} -w ' %{http_code}' "$SIGNER_URL$2"
  }
  demo_status() { printf '%s' "${1##* }"; }
  demo_body() { printf '%s' "${1% *}"; }
  demo_field() { # JSON NAME -> the string or number value of the first member NAME
    printf '%s' "$1" | sed -n "s/.*\"$2\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -1
  }
  demo_b64url_decode() {
    local s=${1//-/+}; s=${s//_//}
    case $((${#s} % 4)) in 2) s="$s==" ;; 3) s="$s=" ;; esac
    printf '%s' "$s" | base64 -d 2>/dev/null
  }
  demo_expect() { # WHAT EXPECTED_STATUS REPLY
    local status; status=$(demo_status "$3")
    [ "$status" = "$2" ] || die "signer: expected $2 for $1, got: $3"
  }

  jwks=$(curl -sS --max-time 10 --cacert "$CA_CERT" -D - "$JWKS_URL" | tr -d '\r')
  say "    $(printf '%s\n' "$jwks" | grep -i '^cache-control:')"
  say "    keys: $(printf '%s' "$jwks" | grep -o '"kid" *: *"[^"]*"' | sed 's/.*: *//' | paste -sd ' ')"
  say "    each with its x5c certificate chain up to the pinned root; private keys stay in the HSM"

  step "Signer: POST /v1/receipts as the store (client certificate CN=store-caller)"
  purchase="demo-$(date +%s)-$$"
  order="{\"purchase_id\":\"$purchase\",\"typ\":\"purchase-receipt\",\"product\":{\"url\":\"https://chess.example\",\"storedata\":\"id=1042\"},\"user\":{\"type\":\"directed-identifier\",\"value\":\"a3f9c0d2e1b4\"},\"nbf\":$(date +%s),\"price\":{\"amount\":\"0.99\",\"currency\":\"USD\"}}"
  reply=$(demo_signer POST /v1/receipts "$order")
  if [ "$(demo_status "$reply")" = 503 ]; then
    say "    503: $(demo_body "$reply")"
    say "    (no usable receipt key: ./ops/keytool rotate --purpose receipt, or see ./ops/stack status)"
  else
    demo_expect "a new receipt" 201 "$reply"
    receipt=$(demo_field "$(demo_body "$reply")" receipt)
    jti=$(demo_field "$(demo_body "$reply")" jti)
    say "    201: jti $jti, kid $(demo_field "$(demo_body "$reply")" kid), exp $(demo_field "$(demo_body "$reply")" exp)"
    say "    header: $(demo_b64url_decode "${receipt%%.*}")"
    claims=${receipt#*.}; claims=${claims%%.*}
    say "    claims: $(demo_b64url_decode "$claims")"
    say "    (iss, iat, exp, jti, verify/reissue/detail filled in by the signer; verified in software"
    say "     with the registered certificate before it was returned)"

    step "Signer: the same purchase again -> the same receipt (200); other claims -> 409"
    again=$(demo_signer POST /v1/receipts "$order")
    demo_expect "a repeated request" 200 "$again"
    say "    200: jti $(demo_field "$(demo_body "$again")" jti) (same receipt, nothing signed)"
    conflict=$(demo_signer POST /v1/receipts "${order/0.99/1.99}")
    demo_expect "other claims for the same purchase" 409 "$conflict"
    say "    409: $(demo_body "$conflict")"

    step "Signer: refusals"
    bad=$(demo_signer POST /v1/receipts "{\"purchase_id\":\"x y\",\"typ\":\"purchase-receipt\",\"product\":{\"url\":\"http://chess.example/\",\"storedata\":\"id=1\"},\"user\":{\"type\":\"directed-identifier\",\"value\":\"u\"},\"nbf\":9999999999,\"price\":{\"amount\":\"0.999\",\"currency\":\"USD\"},\"coupon\":1}")
    demo_expect "invalid fields" 400 "$bad"
    say "    400: $(demo_body "$bad")"
    anonymous=$(curl -sS --max-time 10 --cacert "$CA_CERT" -H 'Content-Type: application/json' \
      --data-binary "$order" -w ' %{http_code}' "$SIGNER_URL/v1/receipts")
    demo_expect "no client certificate" 401 "$anonymous"
    say "    no client certificate -> 401: $(demo_body "$anonymous")"
    developer=$(demo_signer POST /v1/receipts "${order/purchase-receipt/developer-receipt}")
    demo_expect "a typ the caller may not sign" 403 "$developer"
    say "    developer-receipt asked by the store -> 403: $(demo_body "$developer")"
    blocklist=$(demo_signer POST /v1/blocklists '{"document":{"version":1,"generated_at":"2026-01-01T00:00:00Z","entries":[]}}')
    demo_expect "a blocklist asked by the store" 403 "$blocklist"
    say "    blocklist asked by the store -> 403 (only the catalog's certificate may)"

    step "Signer: the issuance log (hash chain; every receipt appended in the transaction that stores it)"
    if command -v psql >/dev/null 2>&1 && declare -F demo_psql >/dev/null; then
      demo_psql "$PRIMARY_JDBC_URL" "SELECT seq || '  ' || document_type || '  ' || jti || '  ' || kid || '  ' || caller || '  ' || encode(hash, 'hex') FROM audit.issuance_log ORDER BY seq DESC LIMIT 3" \
        | sed 's/^/    /' >&2
    fi
    say "    (keytool audit verify recomputes every link)"
  fi
  say "    readiness: $(curl -sS --max-time 10 "$SIGNER_ADMIN_URL/__heartbeat__" | tr -d '\n' | cut -c1-400)"
fi
