# Development identity provider (module ops/dev-services, net.appstore.devservices.idp): issues
# OpenID Connect style access tokens (JWT, RS256, header typ at+jwt, claim roles: user or
# user+operator) to ANY user name it is asked for, so it binds to the loopback interface only.
# HTTPS on localhost:$IDP_PORT with the stack's server certificate. Its signing key is generated on
# first start and kept in $STACK_DIR/idp/signing-key.json (0600), so tokens survive restarts.
#
#   GET  $IDP_URL/.well-known/openid-configuration, $IDP_URL/.well-known/jwks.json
#   POST $IDP_URL/token  (form: username=..., role=user|operator)
#   idp_token USER [--operator]   prints a token (what ./ops/stack token USER runs)
IDP_PORT=${IDP_PORT:-$(stack_port 18743)}
SERVICES+=(idp)

idp_url() { echo "https://localhost:$IDP_PORT"; }
idp_jar() { echo "$REPO_ROOT/ops/dev-services/target/dev-services-$VERSION-all.jar"; }

idp_up() {
  [ -f "$(idp_jar)" ] || die "idp: $(idp_jar) is missing; build it with: mvn -B -q -DskipTests -pl ops/dev-services -am package"
  mkdir -p "$STACK_DIR/idp"; chmod 700 "$STACK_DIR/idp"
  # TLS_KEYSTORE and TLS_KEYSTORE_PASSWORD are exported by stack_up: the IdP serves HTTPS with them.
  service_start idp java -Xmx128m -cp "$(idp_jar)" net.appstore.devservices.idp.DevIdpMain serve \
    --port "$IDP_PORT" --key-file "$STACK_DIR/idp/signing-key.json" --issuer "$(idp_url)"
  wait_healthy idp "$(idp_url)/.well-known/jwks.json"
}

idp_status() {
  if curl -fsS --max-time 2 --cacert "$STACK_DIR/tls/ca.pem" "$(idp_url)/.well-known/jwks.json" >/dev/null 2>&1; then
    echo "idp       development IdP $(idp_url) (tokens for any user; ./ops/stack token USER)"
  else
    echo "idp       NOT answering at $(idp_url) (log: $STACK_DIR/logs/idp.log)"; return 1
  fi
}

idp_env() { echo "IDP_URL=$(idp_url)"; }

# idp_token USER [--operator]: asks the running IdP for an access token for USER and prints it.
idp_token() {
  [ $# -ge 1 ] || die "usage: token USER [--operator]"
  local user=$1; shift
  java -cp "$(idp_jar)" net.appstore.devservices.idp.DevIdpMain token \
    --idp-url "$(idp_url)" --ca-cert "$STACK_DIR/tls/ca.pem" "$@" "$user"
}

FAULT_DESC[idp-stop]="the identity provider process is stopped and kept down; token checks use cached keys"
fault_on_idp_stop() {
  service_hold_fault idp
  say "no new tokens can be issued (./ops/stack token fails); the catalog verifies tokens with the IdP keys it"
  say "  cached (identity.outageTolerance), and unknown keys are refused."
}
fault_off_idp_stop() { service_release_fault idp "$(idp_url)/.well-known/jwks.json"; }
