# Fault switches for drills and demos: ./ops/stack fault NAME on|off [ARG], ./ops/stack fault list.
# Each fault is FAULT_DESC[NAME] plus fault_on_NAME / fault_off_NAME functions
# (a dash in NAME becomes an underscore in the function names); ARG, if given, goes to the
# function (e.g. the delay of catalog-db-slow). Switching prints what was done and how to undo
# it; .stack/faults/NAME marks it on. Both directions are idempotent.
# Service files (ops/lib/services/*.sh) register their own faults the same way; every switch is
# described in ops/runbooks/README.md ("Fault switches").

declare -A FAULT_DESC=()

fault_fn() { echo "fault_$1_${2//-/_}"; }

fault_list() {
  local name state
  for name in $(printf '%s\n' "${!FAULT_DESC[@]}" | sort); do
    state=off; [ -f "$STACK_DIR/faults/$name" ] && state=ON
    printf '%-28s %-4s %s\n' "$name" "$state" "${FAULT_DESC[$name]}"
  done
}

fault_switch() {
  local name=${1:-} value=${2:-}
  [ -n "$name" ] || die "usage: ./ops/stack fault NAME on|off [ARG] | ./ops/stack fault list"
  [ "$name" = list ] && { fault_list; return 0; }
  [ -n "${FAULT_DESC[$name]:-}" ] || die "unknown fault '$name' (./ops/stack fault list shows them)"
  shift 2 || true
  case "$value" in
    on) "$(fault_fn on "$name")" "$@"; mkdir -p "$STACK_DIR/faults"; date -u +%FT%TZ >"$STACK_DIR/faults/$name"
        say "fault $name is ON; undo with: ./ops/stack fault $name off" ;;
    off) "$(fault_fn off "$name")" "$@"; rm -f "$STACK_DIR/faults/$name"
        say "fault $name is off" ;;
    *) die "usage: ./ops/stack fault $name on|off" ;;
  esac
}

# --- PostgreSQL ---------------------------------------------------------------
FAULT_DESC[replica-pause]="replica stops replaying WAL (real replication lag grows; reads stay up)"
fault_on_replica_pause() { pg_cli pause-replay --dir "$STACK_DIR/pg" >&2; say "paused WAL replay on the replica"; }
fault_off_replica_pause() { pg_cli resume-replay --dir "$STACK_DIR/pg" >&2; say "resumed WAL replay on the replica"; }

FAULT_DESC[replica-stop]="the read replica is shut down (fast)"
fault_on_replica_stop() { pg_cli stop replica --dir "$STACK_DIR/pg" >&2; say "stopped the replica"; }
fault_off_replica_stop() { pg_cli start replica --dir "$STACK_DIR/pg" >&2; say "started the replica; it catches up through its slot"; }

FAULT_DESC[primary-stop]="the primary database is shut down (fast); the replica keeps serving reads"
fault_on_primary_stop() { pg_cli stop primary --dir "$STACK_DIR/pg" >&2; say "stopped the primary"; }
fault_off_primary_stop() { pg_cli start primary --dir "$STACK_DIR/pg" >&2; say "started the primary"; }

# --- HSM ------------------------------------------------------------------------
FAULT_DESC[hsm-remove]="the HSM token disappears under the signer (its files move away)"
fault_on_hsm_remove() {
  local tokens="$STACK_DIR/softhsm/tokens" away="$STACK_DIR/softhsm/removed"
  mkdir -p "$away"
  [ -n "$(ls -A "$tokens" 2>/dev/null)" ] || die "no token files in $tokens (already removed?)"
  mv "$tokens"/* "$away"/
  say "moved the token files from $tokens to $away"
}
fault_off_hsm_remove() {
  local tokens="$STACK_DIR/softhsm/tokens" away="$STACK_DIR/softhsm/removed"
  [ -n "$(ls -A "$away" 2>/dev/null)" ] || { say "no removed token files to restore"; return 0; }
  mv "$away"/* "$tokens"/
  say "restored the token files to $tokens"
}

# --- supervised processes -------------------------------------------------------
# service_hold NAME: stops a supervised process and keeps it down until released.
service_hold() {
  local name=$1 child
  mkdir -p "$STACK_DIR/run"; touch "$STACK_DIR/run/$name.held"
  child=$(cat "$STACK_DIR/run/$name.child.pid" 2>/dev/null || true)
  [ -n "$child" ] && kill "$child" 2>/dev/null || true
  say "stopped $name and told its supervisor not to restart it"
}
service_release() {
  rm -f "$STACK_DIR/run/$1.held"
  say "released $1: its supervisor starts it again"
}

# service_hold_fault NAME HEALTH_URL: the body of an "X-stop" switch; says what already was.
service_hold_fault() {
  local name=$1
  [ -f "$STACK_DIR/run/$name.pid" ] || die "$name is not running under the stack: ./ops/stack up"
  [ -f "$STACK_DIR/run/$name.held" ] && say "$name was already held down"
  service_hold "$name"
  say "$name stays down until: ./ops/stack fault $name-stop off"
}
# service_release_fault NAME HEALTH_URL: releases NAME and waits until it answers again.
service_release_fault() {
  local name=$1 url=$2
  if [ ! -f "$STACK_DIR/run/$name.held" ]; then
    say "$name was not held down"
  else
    service_release "$name"
  fi
  wait_healthy "$name" "$url" 90
  say "$name answers again at $url"
}

# --- direct database access for switches that change real data -------------------------
# stack_psql SQL: runs SQL on the stack's primary (psql, unaligned, tuples only). pg.env holds
# PRIMARY_JDBC_URL=jdbc:postgresql://127.0.0.1:PORT/DB and the credentials as PGUSER/PGPASSWORD.
stack_psql() {
  [ -f "$STACK_DIR/pg.env" ] || die "no $STACK_DIR/pg.env: ./ops/stack up"
  local url
  url=$(sed -n 's/^PRIMARY_JDBC_URL=jdbc://p' "$STACK_DIR/pg.env")
  PGUSER=$(sed -n 's/^PGUSER=//p' "$STACK_DIR/pg.env") PGPASSWORD=$(sed -n 's/^PGPASSWORD=//p' "$STACK_DIR/pg.env") \
    psql "${url%%\?*}" -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

# --- payment gateway (simulated third party; see ops/lib/services/45-payments.sh) ---
for payments_fault_name in decline slow timeout down lost-response; do
  FAULT_DESC[payments-$payments_fault_name]="simulated gateway: $payments_fault_name (ops/dev-services/PAYMENTS.md)"
  eval "fault_on_payments_${payments_fault_name//-/_}() { payments_fault $payments_fault_name on >&2; }"
  eval "fault_off_payments_${payments_fault_name//-/_}() { payments_fault $payments_fault_name off >&2; }"
done
unset payments_fault_name
