# Simulated payment gateway: a test double for the third-party gateway (like Stripe), run as its own
# process from ops/dev-services. Plain HTTP on 127.0.0.1 only; the charge ledger is
# $STACK_DIR/payments/ledger.jsonl. API and the exact meaning of each fault:
# ops/dev-services/PAYMENTS.md
PAYMENTS_PORT=${PAYMENTS_PORT:-$(stack_port 18843)}
SERVICES+=(payments)

payments_url() { echo "http://127.0.0.1:$PAYMENTS_PORT"; }

payments_up() {
  mkdir -p "$STACK_DIR/payments"
  service_start payments java -Xmx256m \
    -cp "$REPO_ROOT/ops/dev-services/target/dev-services-$VERSION-all.jar" \
    net.appstore.devservices.payments.PaymentGatewaySimulator \
    --port "$PAYMENTS_PORT" --data-dir "$STACK_DIR/payments"
  wait_healthy payments "$(payments_url)/__lbheartbeat__"
}

payments_status() {
  local state active
  if state=$(curl -fsS --max-time 2 "$(payments_url)/__faults__" 2>/dev/null); then
    active=$(printf '%s' "$state" | sed -n 's/.*"active":\[\([^]]*\)\].*/\1/p' | tr -d '"')
    echo "payments  simulated gateway $(payments_url) (ledger $STACK_DIR/payments/ledger.jsonl; faults on: ${active:-none})"
  else
    echo "payments  NOT answering at $(payments_url) (log: $STACK_DIR/logs/payments.log)"; return 1
  fi
}

payments_env() { echo "PAYMENTS_URL=$(payments_url)"; }

# payments_fault NAME on|off [MS]: switches a fault of the running simulator through its admin
# endpoint. NAME: decline, slow, timeout, down, lost-response. MS sets the latency of `slow` or the
# hold of `timeout` (defaults 1500 ms and 300000 ms). Faults live in memory: a restart of the
# simulator clears them.
payments_fault() {
  local name=${1:-} state=${2:-} ms=${3:-} query="" effect
  case "$name" in
    decline) effect="new charges are recorded as declined (nothing charged); replays of earlier keys keep their stored result" ;;
    slow) effect="every /v1 request waits ${ms:-the default latency of 1500} ms before it is processed" ;;
    timeout) effect="every POST /v1 request is processed and recorded, then its response is held ${ms:-300000} ms: clients time out although the money moved" ;;
    down) effect="every /v1 request answers 503 (Retry-After: 5) without being processed; nothing is recorded" ;;
    lost-response) effect="every POST /v1 request is processed and recorded, then the connection is closed without a response" ;;
    *) die "unknown payments fault '$name'; one of: decline, slow, timeout, down, lost-response" ;;
  esac
  case "$state" in on|off) ;; *) die "payments fault $name: say on or off, not '$state'" ;; esac
  if [ -n "$ms" ]; then
    case "$name" in
      slow) query="?latency_ms=$ms" ;;
      timeout) query="?hold_ms=$ms" ;;
      *) die "payments fault $name takes no delay" ;;
    esac
  fi
  local answer
  answer=$(curl -sS --max-time 5 -X POST --data "$state" "$(payments_url)/__faults__/$name$query" -w '\n%{http_code}' 2>&1) \
    || die "the payment gateway simulator does not answer at $(payments_url): $answer"
  [ "${answer##*$'\n'}" = 200 ] || die "the simulator refused: ${answer%$'\n'*}"
  if [ "$state" = on ]; then
    echo "payments: fault '$name' is ON: $effect."
    echo "  The ledger stays the truth: $STACK_DIR/payments/ledger.jsonl"
    echo "  Undo: ./ops/stack fault payments-$name off   (or: curl -X POST --data off $(payments_url)/__faults__/$name)"
  else
    echo "payments: fault '$name' is OFF; the simulated gateway behaves normally for it."
    echo "  Redo: ./ops/stack fault payments-$name on"
  fi
}
