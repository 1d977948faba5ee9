# Demo part: the catalog. Browse categories, open an app page, search, ask for an update, post a
# review with a token from the development IdP, and fetch the blocklist. Sourced by ops/demo with
# .stack/env exported.

demo_catalog() { # PATH [CURL ARGS...] -> body; fails the demo on an HTTP error
  local path=$1; shift
  curl -fsS --max-time 10 --cacert "$CA_CERT" "$@" "$CATALOG_URL$path" \
    || die "the catalog did not answer $path (log: $STACK_DIR/logs/catalog.log)"
}
demo_json_field() { # FIELD JSON -> first string value of "FIELD" (enough for a demo)
  printf '%s' "$2" | grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4
}

step "Catalog: GET /api/v1/categories"
categories=$(demo_catalog /api/v1/categories)
say "    $(printf '%s' "$categories" | grep -o '"slug":"[^"]*","name":"[^"]*","app_count":[0-9]*' | head -5 | sed 's/"slug":"\([^"]*\)","name":"\([^"]*\)","app_count":\([0-9]*\)/\2 (\3 apps)/' | paste -sd ',' | sed 's/,/, /g'), ..."

step "Catalog: GET /api/v1/apps?category=games&sort=popular (first page)"
listing=$(demo_catalog '/api/v1/apps?category=games&sort=popular')
slug=$(demo_json_field slug "$listing")
say "    most popular game: $(demo_json_field name "$listing") ($slug)"

step "Catalog: GET /api/v1/apps/$slug (cached page with ETag; a conditional GET gets 304)"
headers=$(mktemp)
page=$(demo_catalog "/api/v1/apps/$slug" -D "$headers")
etag=$(grep -i '^etag:' "$headers" | cut -d' ' -f2 | tr -d '\r')
say "    $(demo_json_field name "$page") by $(printf '%s' "$page" | grep -o '"developer":{"slug":"[^"]*","name":"[^"]*"' | cut -d'"' -f10)," \
  "rating $(printf '%s' "$page" | grep -o '"average":[0-9.]*' | head -1 | cut -d: -f2)," \
  "$(grep -i '^cache-control:' "$headers" | tr -d '\r')"
say "    If-None-Match: $etag -> HTTP $(curl -sS -o /dev/null -w '%{http_code}' --cacert "$CA_CERT" -H "If-None-Match: $etag" "$CATALOG_URL/api/v1/apps/$slug")"
rm -f "$headers"

step "Catalog: GET /api/v1/search?q=chess offline"
results=$(demo_catalog '/api/v1/search?q=chess%20offline')
say "    $(printf '%s' "$results" | grep -o '"name":"[^"]*"' | head -5 | cut -d'"' -f4 | paste -sd ',' | sed 's/,/, /g')"

step "Catalog: GET /api/v1/update?id=$slug&version=0.1&appVersion=99 (Firefox update manifest)"
say "    $(demo_catalog "/api/v1/update?id=$slug&version=0.1&appVersion=99")"
say "    already up to date: $(demo_catalog "/api/v1/update?id=$slug&version=999&appVersion=99")"

step "Catalog: POST /api/v1/apps/$slug/reviews with a token from the development IdP"
if [ -n "${IDP_URL:-}" ]; then
  token=$(java -cp "$REPO_ROOT/ops/dev-services/target/dev-services-$VERSION-all.jar" \
    net.appstore.devservices.idp.DevIdpMain token --idp-url "$IDP_URL" --ca-cert "$CA_CERT" \
    demo-reader) || die "the development IdP gave no token"
  say "    without a token: HTTP $(curl -sS -o /dev/null -w '%{http_code}' --cacert "$CA_CERT" -H 'Content-Type: application/json' --data '{"rating":5}' "$CATALOG_URL/api/v1/apps/$slug/reviews")"
  review=$(demo_catalog "/api/v1/apps/$slug/reviews" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' --data '{"rating": 5, "body": "Tried it in the demo."}')
  say "    with a token: $review"
  say "    the author sees it at once (read from the primary): $(demo_catalog "/api/v1/apps/$slug" -H "Authorization: Bearer $token" | grep -c 'Tried it in the demo.') match"
else
  say "    skipped: no IDP_URL (the development IdP is not part of this stack)"
fi

step "Catalog: GET /blocklist/v1/blocklist.json (signed copy: /blocklist/v1/blocklist.jwt)"
blocklist=$(curl -sS --max-time 10 --cacert "$CA_CERT" "$CATALOG_URL/blocklist/v1/blocklist.json")
case "$blocklist" in
  *'"version"'*) say "    version $(printf '%s' "$blocklist" | grep -o '"version":[0-9]*' | cut -d: -f2), $(printf '%s' "$blocklist" | grep -o '"severity"' | wc -l) entries" ;;
  *) say "    not published yet: $blocklist (publication needs the signer: SIGNER_URL and JWKS_URL)" ;;
esac
