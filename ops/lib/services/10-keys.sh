# Keys: the signing keys of the local stack, made with keytool (module keytool, the operators'
# CLI) the way an operator would: registry schema (db migrate), the root CA (init, once), and an
# ACTIVE receipt key and blocklist key. Not a process: keys_up runs keytool and returns.
#
# It exports ROOT_CERT (the root certificate PEM that verifiers pin) and KEYTOOL (./ops/keytool)
# for the services that start after it, and writes both into .stack/env.
SERVICES+=(keys)

keys_dir() { echo "$STACK_DIR/keys"; }
keytool_jar() { echo "$REPO_ROOT/keytool/target/keytool-$VERSION-all.jar"; }

# keytool with the stack's environment (stack_up exports the database and token settings; the
# development PIN comes from the token's secrets, as .stack/env does not exist yet on a first up).
keytool_cli() {
  HSM_PIN=${HSM_PIN:-$(cat "$STACK_DIR/softhsm/secrets/user-pin")} \
    java --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED \
    -jar "$(keytool_jar)" "$@"
}

# Whether the registry has an ACTIVE key of this purpose.
keys_have_active() {
  keytool_cli list --json --purpose "$1" | grep -q '"state":"ACTIVE"'
}

keys_up() {
  if [ ! -f "$(keytool_jar)" ]; then
    say "    building keytool (mvn -B -q -DskipTests -pl keytool -am package)"
    (cd "$REPO_ROOT" && mvn -B -q -DskipTests -pl keytool -am package) >&2
  fi
  mkdir -p "$(keys_dir)"
  keytool_cli db migrate >&2
  if keys_have_active root; then
    say "    root CA exists"
  else
    keytool_cli init --actor ops/stack >&2
  fi
  keytool_cli export-root --out "$(keys_dir)/root.pem" >&2
  local purpose
  for purpose in receipt blocklist; do
    if keys_have_active "$purpose"; then
      say "    $purpose: ACTIVE key present"
      continue
    fi
    say "    $purpose: no ACTIVE key. DEV STACK ONLY: generating, publishing and activating one at"
    say "    once (--force, recorded), without waiting the key-cache age verifiers need in production"
    # rotate --force = generate + publish + activate --force, resumable if interrupted.
    keytool_cli rotate --purpose "$purpose" --force --reason "dev stack bootstrap" \
      --actor ops/stack >&2
  done
  export ROOT_CERT KEYTOOL
  ROOT_CERT="$(keys_dir)/root.pem"
  KEYTOOL="$REPO_ROOT/ops/keytool"
}

# One line: the ACTIVE kids and their days to expiry; non-zero if a purpose has no ACTIVE key or
# one expires within 30 days (keytool check-expiry).
keys_status() {
  local report rc=0 summary
  [ -f "$(keytool_jar)" ] || { echo "keys      keytool not built"; return 1; }
  report=$(keytool_cli check-expiry --warn-days 30 2>&1) || rc=$?
  # "receipt   ok       receipt-20261126-ab12cd34 expires ... (in 394 days)" -> "receipt receipt-... 394d"
  summary=$(printf '%s\n' "$report" | sed -E \
    -e 's/^([a-z]+) +(ok|WARN) +([^ ]+) expires [^ ]+ \(in ([0-9]+) days\)$/\1 \3 \4d \2/' \
    -e 's/^([a-z]+) +(WARN) +([^ ]+) EXPIRED at .*/\1 \3 EXPIRED/' \
    -e 's/^([a-z]+) +NONE .*/\1 NONE/' \
    -e 's/ ok$//' | paste -sd ',' | sed 's/,/, /g')
  case $rc in
    0) echo "keys      $summary" ;;
    7) echo "keys      NEEDS ROTATION: $summary"; return 1 ;;
    *) echo "keys      registry or keytool failing: $(printf '%s' "$report" | tail -1)"; return 1 ;;
  esac
}

keys_env() {
  echo "KEYTOOL=$REPO_ROOT/ops/keytool"
  echo "ROOT_CERT=$(keys_dir)/root.pem"
}
