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
exec "$(dirname "$0")/bench-java.sh" net.appstore.verifier.bench.ThreadCostProbe "$@"
