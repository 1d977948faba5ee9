# Demo part: the store's purchase flow (sign, then charge). Buy a paid app with an Idempotency-Key,
# send the same request again (same receipt, one charge), verify the receipt, redownload it, refund
# it as an operator and verify again. Sourced by ops/demo with .stack/env exported; skipped with a
# message while the catalog has no signer or payment gateway configured (503 PURCHASES_UNAVAILABLE).

step "Store: POST /api/v1/apps/{slug}/purchases (sign, then charge)"
purchase_token() { # USER [--operator] -> an access token from the development IdP
  java -cp "$REPO_ROOT/ops/dev-services/target/dev-services-$VERSION-all.jar" \
    net.appstore.devservices.idp.DevIdpMain token --idp-url "$IDP_URL" --ca-cert "$CA_CERT" "$@"
}
purchase_call() { # METHOD PATH TOKEN [CURL ARGS...] -> "STATUS BODY"
  local method=$1 path=$2 token=$3; shift 3
  curl -sS --max-time 20 --cacert "$CA_CERT" -X "$method" -H "Authorization: Bearer $token" \
    -w '\n%{http_code}' "$@" "$CATALOG_URL$path"
}
purchase_field() { printf '%s' "$2" | grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

if [ -z "${IDP_URL:-}" ] || [ -z "${CATALOG_URL:-}" ]; then
  say "    skipped: the catalog or the development IdP is not running"
else
  buyer=$(purchase_token demo-buyer) || die "the development IdP gave no token"
  app=$(curl -fsS --max-time 10 --cacert "$CA_CERT" "$CATALOG_URL/api/v1/apps?category=games&sort=popular" \
    | grep -o '"slug":"[^"]*","name":"[^"]*","summary":"[^"]*","price":{' | head -1 | cut -d'"' -f4)
  key="demo-$(date +%s)-$$"
  answer=$(purchase_call POST "/api/v1/apps/$app/purchases" "$buyer" -H "Idempotency-Key: $key")
  status=$(printf '%s' "$answer" | tail -1); body=$(printf '%s' "$answer" | sed '$d')
  if [ "$status" = 503 ] && printf '%s' "$body" | grep -q PURCHASES_UNAVAILABLE; then
    say "    skipped: purchases are not configured (the catalog needs SIGNER_URL and PAYMENTS_URL)"
  else
    [ "$status" = 201 ] || die "purchase of $app answered HTTP $status: $body"
    purchase=$(purchase_field purchase_id "$body"); receipt=$(purchase_field receipt "$body")
    say "    bought $app: purchase $purchase, $(purchase_field status "$body"), receipt ${receipt:0:24}..."
    again=$(purchase_call POST "/api/v1/apps/$app/purchases" "$buyer" -H "Idempotency-Key: $key" | sed '$d')
    [ "$(purchase_field receipt "$again")" = "$receipt" ] || die "the same request gave another receipt"
    say "    the same request again (double click): the same receipt, one charge"
    say "    gateway charges under the purchase id: $(curl -sS --max-time 5 "$PAYMENTS_URL/v1/charges?idempotency_key=$purchase" | grep -o '"status":"[^"]*"' | paste -sd ' ')"
    if [ -n "${VERIFIER_URL:-}" ]; then
      say "    verifier: $(curl -sS --max-time 10 --cacert "$CA_CERT" -H 'Content-Type: text/plain' --data-binary "$receipt" "$VERIFIER_URL/v1/verify")"
    fi
    redownload=$(purchase_call GET "/api/v1/purchases/$purchase" "$buyer" | sed '$d')
    say "    redownload: $(purchase_field status "$redownload"), $(purchase_field download_url "$redownload")"
    operator=$(purchase_token --operator demo-operator) || die "the development IdP gave no operator token"
    refund=$(purchase_call POST "/api/v1/purchases/$purchase/refund" "$operator")
    [ "$(printf '%s' "$refund" | tail -1)" = 200 ] || die "refund failed: $refund"
    say "    refunded by an operator: $(printf '%s' "$refund" | sed '$d')"
    if [ -n "${VERIFIER_URL:-}" ]; then
      # The verifier reads the replica and may keep an answer for a receipt's jti a few seconds
      # (verifier.yml resultCacheFor, 10 s, never longer than the refund window): ask until it changes.
      for _ in $(seq 1 40); do
        verdict=$(curl -sS --max-time 10 --cacert "$CA_CERT" -H 'Content-Type: text/plain' --data-binary "$receipt" "$VERIFIER_URL/v1/verify")
        case "$verdict" in *refunded*) break ;; esac
        sleep 0.5
      done
      say "    verifier after the refund: $verdict (answers are cached by jti for at most a few seconds)"
    fi
  fi
fi
