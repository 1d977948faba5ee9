# The development CA and the certificates of the local stack. Every TLS
# certificate of the stack is signed by this CA ($CA_CERT); production uses the
# deployment's own CA. Keys are written 0600 and never printed.

tls_dir() { echo "$STACK_DIR/tls"; }

ensure_dev_ca() {
  local d; d=$(tls_dir); mkdir -p "$d"; chmod 700 "$d"
  [ -f "$d/ca.pem" ] && return 0
  say "creating the development CA in $d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=receipts dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$d/ca-key.pem" -out "$d/ca.pem" 2>/dev/null
  chmod 600 "$d/ca-key.pem"
}

# issue_cert NAME KIND(server|client) : NAME.pem, NAME-key.pem and NAME.p12
# (password in NAME.p12.pass) signed by the dev CA.
issue_cert() {
  local name=$1 kind=$2 d; d=$(tls_dir)
  [ -f "$d/$name.p12" ] && return 0
  local ext="$d/$name.ext"
  if [ "$kind" = server ]; then
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$ext"
  else
    printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$ext"
  fi
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$d/$name-key.pem" -out "$d/$name.csr" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.pem" -CAkey "$d/ca-key.pem" -CAcreateserial \
    -days 397 -extfile "$ext" -out "$d/$name.pem" 2>/dev/null
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$d/$name.p12.pass"
  openssl pkcs12 -export -in "$d/$name.pem" -inkey "$d/$name-key.pem" -certfile "$d/ca.pem" \
    -name "$name" -out "$d/$name.p12" -passout "file:$d/$name.p12.pass"
  chmod 600 "$d/$name-key.pem" "$d/$name.p12" "$d/$name.p12.pass"
  rm -f "$d/$name.csr" "$ext"
}

# A PKCS#12 trust store holding only the dev CA, for Java clients and servers.
ensure_truststore() {
  local d; d=$(tls_dir)
  [ -f "$d/truststore.p12" ] && return 0
  echo changeit >"$d/truststore.pass"
  keytool -importcert -noprompt -alias dev-ca -file "$d/ca.pem" -storetype PKCS12 \
    -keystore "$d/truststore.p12" -storepass changeit >/dev/null 2>&1
}
