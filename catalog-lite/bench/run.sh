#!/usr/bin/env bash
# Catalog benchmark (docs/BENCHMARKS.md, "Catalog"): cached app page and update check over HTTPS
# with keep-alive at 1..N clients, next to nginx serving a static file of the same bytes in the
# same run (the practical limit), with the same load client and the same certificate.
#
#   catalog-lite/bench/run.sh [--seconds 10] [--warmup 5] [--clients 1,2,4,8] [--apps 10000] [--reviews 100000]
#
# Builds what it needs, installs nginx from Debian if missing, starts its own PostgreSQL primary +
# replica (seeded with the default data set) and nginx in a temporary directory, and writes
# catalog-lite/target/benchmark.md. Takes about 5 minutes with the defaults. Run it on a quiet
# machine: load generator, catalog and nginx share the cores. BENCH_JAVA_OPTS adds JVM options,
# e.g. a profile: BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=target/bench.jfr,settings=profile
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nginx >/dev/null; then
  echo "installing nginx (Debian nginx-light)" >&2
  apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null
fi
classpath_file=$PWD/catalog-lite/target/bench-classpath.txt
mvn -B -q -pl catalog-lite -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
cd catalog-lite
# The service's JSON request log goes to stdout; the results go to stderr and target/benchmark.md.
# shellcheck disable=SC2086
exec java -Xms1g -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  net.appstore.catalog.bench.CatalogBenchmark "$@" >/dev/null
