# Demo part: the verifier refuses what is not a genuine receipt, and says why.
# Sourced by ops/demo with .stack/env exported. (Buying an app and verifying its
# receipt comes with the purchase flow.)

step "Verifier: POST /v1/verify with tokens that are not receipts"
if [ -z "${VERIFIER_URL:-}" ]; then
  say "    skipped: the verifier is not running (it needs JWKS_URL and ROOT_CERT from the keys and signer parts)"
else
  demo_verify() { # TOKEN -> the verifier's JSON answer
    curl -sS --max-time 10 --cacert "$CA_CERT" -H 'Content-Type: text/plain' \
      --data-binary "$1" "$VERIFIER_URL/v1/verify"
  }
  demo_b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
  demo_expect_invalid() { # WHAT TOKEN REASON
    local answer; answer=$(demo_verify "$2") || die "the verifier did not answer at $VERIFIER_URL"
    say "    $1 -> $answer"
    case "$answer" in
      *'"status":"invalid"'*"\"reason\":\"$3\""*) ;;
      *) die "expected {\"status\":\"invalid\",\"reason\":\"$3\"} for $1, got: $answer" ;;
    esac
  }
  demo_expect_invalid "garbage 'hello.world.receipt'" "hello.world.receipt" ERROR_DECODING
  forged="$(demo_b64url '{"alg":"none","kid":"any","typ":"receipt+jwt"}').$(demo_b64url '{"jti":"forged","iss":"https://store.example"}').c2ln"
  demo_expect_invalid "a forged 'alg: none' receipt" "$forged" ALG_NOT_ALLOWED
  say "    admin: $(curl -sS --max-time 5 "$VERIFIER_ADMIN_URL/__heartbeat__" | tr -d '\n' | cut -c1-300)"
fi
