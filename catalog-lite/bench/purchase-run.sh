#!/usr/bin/env bash
# Purchase flow benchmark (docs/BENCHMARKS.md, "Purchase flow"): completed paid purchases per second
# over HTTPS at 1, 2, 4 and 8 concurrent buyers against the local stack (real signer with SoftHSM2,
# simulated payment gateway, PostgreSQL primary + streaming replica), next to the raw SunPKCS11
# RS256 signing rate on the stack's own token and receipt key and the single-row INSERT + COMMIT
# rate of the stack's primary, measured in the same run.
#
#   catalog-lite/bench/purchase-run.sh
#
# Environment: STACK_PORT_OFFSET (ports of the stack; default 0), BENCH_SECONDS (10) measured after
# BENCH_WARMUP (3) seconds per row, BENCH_BUYERS (1,2,4,8), BENCH_SERVICE_WARMUP (60) seconds of
# purchases at the most buyers before the purchase rows, so that they measure warm services.
# Brings the stack up (./ops/stack up, which builds what changed); a stack this script started is
# stopped again at the end (its data is kept: ./ops/stack down --purge removes it). Ends with
# ./ops/stack reconcile, which must find nothing unresolved. Results: stderr and
# catalog-lite/target/purchase-benchmark.md. The load generator, catalog, signer, SoftHSM2, gateway
# and PostgreSQL share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
export STACK_PORT_OFFSET=${STACK_PORT_OFFSET:-0}
buyers=${BENCH_BUYERS:-1,2,4,8}

started=0
if ! ./ops/stack status >/dev/null 2>&1; then
  started=1
fi
./ops/stack up >&2
if [ "$started" = 1 ]; then
  trap './ops/stack down >&2' EXIT
fi

classpath_file=$PWD/catalog-lite/target/bench-classpath.txt
mvn -B -q -pl catalog-lite -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"

set -a; source .stack/env; set +a
export TRUSTSTORE_PASSWORD=${TRUSTSTORE_PASSWORD:-$(cat "$STACK_DIR/tls/truststore.pass")}
BENCH_RECEIPT_KEY_LABEL=$(./ops/keytool list --json --purpose receipt | python3 -c '
import json, sys
keys = json.load(sys.stdin)
keys = keys.get("keys", keys) if isinstance(keys, dict) else keys
print(next(k["hsmLabel"] for k in keys if k["state"] == "ACTIVE"))')
export BENCH_RECEIPT_KEY_LABEL
most=$(tr ',' '\n' <<<"$buyers" | sort -n | tail -1)
tokens=()
for i in $(seq 1 "$most"); do tokens+=("$(./ops/stack token "bench-buyer-$i")"); done
BENCH_TOKENS=$(IFS=,; echo "${tokens[*]}")
export BENCH_TOKENS BENCH_BUYERS=$buyers

(cd catalog-lite && java -Xms256m -Xmx256m \
  --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  net.appstore.catalog.bench.PurchaseBenchmark)

# Every charge the benchmark made must belong to a completed purchase.
./ops/stack reconcile
