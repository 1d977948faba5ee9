#!/usr/bin/env bash
# Signer benchmark (docs/BENCHMARKS.md, "Signer"): raw SunPKCS11 RS256 signing in SoftHSM2 at 1 and
# 2 threads, then the real signer (its own JVM) over HTTPS with mutual TLS and keep-alive at each
# client count, then raw signing again, in one run.
#
#   signer/bench/run.sh [--seconds 10] [--warmup 5] [--clients 1,2] [--service-warmup 90]
#
# Builds what it needs, creates its own SoftHSM2 token and PostgreSQL primary + replica (fsync on)
# under signer/target/bench, and writes signer/target/benchmark.md. Run it on a quiet machine: the
# load generator, the service, PostgreSQL and the software HSM share the cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
classpath_file=$PWD/signer/target/bench-classpath.txt
mvn -B -q -pl signer -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
cd signer
bench=$PWD/target/bench
rm -rf "$bench"; mkdir -p "$bench"
export HSM_PIN=$(head -c 8 /dev/urandom | od -An -tu4 | tr -d ' \n' | cut -c1-8)
export HSM_TOKEN_LABEL=bench
HSM_SO_PIN=$(head -c 8 /dev/urandom | od -An -tu4 | tr -d ' \n' | cut -c1-10) \
  ../hsm-config/softhsm/init-token --token-dir "$bench/tokens" --conf "$bench/softhsm2.conf" \
  --label "$HSM_TOKEN_LABEL" >&2
export SOFTHSM2_CONF=$bench/softhsm2.conf
# shellcheck disable=SC2086
exec java -Xms512m -Xmx512m ${BENCH_JAVA_OPTS:-} \
  --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  net.appstore.signer.bench.SignerBenchmark "$@"
