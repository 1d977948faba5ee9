#!/usr/bin/env bash
# Builds the verifier with its test classes and runs one of its benchmark mains in a JVM of its own
# (1 GiB heap, plus BENCH_JAVA_OPTS): the part verifier/bench/run.sh and thread-costs.sh share.
#
#   verifier/bench/bench-java.sh MAIN_CLASS [ARGS...]
#
# The service's JSON request log goes to stdout, discarded; the results go to stderr (and the file
# the main writes under verifier/target).
set -euo pipefail
main=$1
shift
cd "$(dirname "$0")/../.."
classpath_file=$PWD/verifier/target/bench-classpath.txt
mvn -B -q -pl verifier -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
cd verifier
# shellcheck disable=SC2086
exec java -Xms1g -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  "$main" "$@" >/dev/null
