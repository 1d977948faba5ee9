#!/usr/bin/env bash
# Verifier benchmark (docs/BENCHMARKS.md, "Verifier"): raw Nimbus parse+verify, the receipt-format
# core and the real service over HTTPS with keep-alive at 1..N clients, in one run.
#
#   verifier/bench/run.sh [--seconds 10] [--warmup 5] [--clients 1,2,4,8] [--receipts 2000] [--pairs 3]
#
# Each HTTPS scenario is loaded twice: by the benchmark's own Java client (in the service's JVM),
# then by wrk (a separate process, verifier/bench/verify.lua, which checks every answer). wrk is
# required: Debian/Ubuntu `apt-get install wrk`.
#
# Last, the target check: raw Nimbus on 2 threads and the service at 2 clients (answer cached),
# alternated --pairs times, each pair's share of raw and their median.
#
# Builds what it needs, starts its own PostgreSQL primary + replica and JWKS server, and writes
# verifier/target/benchmark.md. Takes about 9 minutes with the defaults. Run it on a quiet machine:
# the load generator and the service share the cores. BENCH_JAVA_OPTS adds JVM options, e.g. a
# profile (deep stacks: Jetty + verification exceed the default 64 frames):
# BENCH_JAVA_OPTS="-XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=filename=target/bench.jfr,settings=profile"
# and group its samples with verifier/bench/profile-shares.py.
set -euo pipefail
wrk=$(command -v wrk || true)
if [ -z "$wrk" ]; then
  echo "verifier/bench/run.sh: wrk not found; install it (Debian/Ubuntu: apt-get install wrk)" >&2
  exit 1
fi
exec "$(dirname "$0")/bench-java.sh" net.appstore.verifier.bench.VerifierBenchmark --wrk "$wrk" "$@"
