#!/usr/bin/env bash
# Runs a benchmark suite: benchmarks/run.sh <suite> [h2|mariadb] [seconds-per-measure]
# Suites: notification. Each measure ends as one line:
#   RESULT <measure> value=<n> baseline=<n> ratio=<r>
# where the baseline is a raw JDBC measurement taken in the same run on the same database.
# AIFLOW_BENCH_JAVA_OPTS adds JVM options (e.g. a garbage collector).
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:?usage: benchmarks/run.sh <suite> [h2|mariadb] [seconds-per-measure]}"
backend="${2:-h2}"
seconds="${3:-5}"
mvn -B -q install -DskipTests -pl benchmarks -am
exec java -Xmx2g ${AIFLOW_BENCH_JAVA_OPTS:-} -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  org.aiflow.benchmarks.BenchmarkMain "$suite" "$backend" "$seconds"
