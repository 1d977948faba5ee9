# Shared helpers for the ops scripts. Sourced, never run.
# Everything the local stack keeps lives under $STACK_DIR (git-ignored).

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_DIR=${STACK_DIR:-$REPO_ROOT/.stack}
VERSION=0.1.0-SNAPSHOT

# Every port of the stack is its default plus STACK_PORT_OFFSET (0 unless set), so a second stack
# (the drills', another work tree's) can run beside the development one. A stack keeps the offset
# it was created with in $STACK_DIR/port-offset, so later commands find it without being told.
if [ -f "$STACK_DIR/port-offset" ]; then STACK_PORT_OFFSET=$(cat "$STACK_DIR/port-offset"); fi
STACK_PORT_OFFSET=${STACK_PORT_OFFSET:-0}
stack_port() { echo $(($1 + STACK_PORT_OFFSET)); }

say() { printf '%s\n' "$*" >&2; }
step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages the tests and the stack need, when they are
# missing. CI and a fresh machine run as root; elsewhere we say what to run.
ensure_packages() {
  local missing=()
  command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2)
  command -v pkcs11-tool >/dev/null 2>&1 || missing+=(opensc)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus) # promtool checks ops/alerts
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
  fi
  step "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

softhsm_library() {
  local lib
  for lib in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so; do
    [ -f "$lib" ] && { echo "$lib"; return 0; }
  done
  die "libsofthsm2.so not found; install softhsm2"
}
