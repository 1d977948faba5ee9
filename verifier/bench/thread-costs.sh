#!/usr/bin/env bash
# Where a cached-answer verification's CPU goes, by thread, and how often each thread blocks or is
# preempted (docs/BENCHMARKS.md, "Verifier"; net.appstore.verifier.bench.ThreadCostProbe):
#
#   verifier/bench/thread-costs.sh [--clients 2] [--warmup 20] [--seconds 15] [--set key=value ...]
#
# --set overrides the service's configuration, e.g. --set server.enableThreadNameFilter=false.
# Starts its own PostgreSQL primary + replica and JWKS server; writes verifier/target/thread-costs.md.
# About a minute. Linux only (reads /proc/self/task). Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
classpath_file=$PWD/verifier/target/bench-classpath.txt
mvn -B -q -pl verifier -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
cd verifier
# The service's JSON request log goes to stdout; the results go to stderr.
# shellcheck disable=SC2086
exec java -Xms1g -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  net.appstore.verifier.bench.ThreadCostProbe "$@" >/dev/null
