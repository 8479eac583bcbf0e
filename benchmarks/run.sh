#!/usr/bin/env bash
# Runs a benchmark suite: benchmarks/run.sh <suite> [h2|mariadb] [seconds-per-measure]
# Suites:
#   notification  the event log in process (group commit, batches, publish -> subscriber latency)
#   metadata      the metadata REST API of the real distribution (karaf-assembly/target/*.tar.gz,
#                 built first if missing), unpacked into a temporary directory, started with bin/start
#                 on free ports (on H2, or switched to a fresh MariaDB database aiflow_bench), loaded
#                 by AIFLOW_BENCH_CLIENTS (8) HTTP/1.1 client threads and stopped at the end
#   storage       what durability and the embedded file cost: 100,000 events of 100 bytes in commits of 16
#                 (h2: bytes an event vs H2 alone, events/s vs H2's non-durable default; mariadb: events/s
#                 with innodb_flush_log_at_trx_commit=1 vs 2)
#   web           the web UI in Debian's headless Chromium (/usr/bin/chromium through /usr/bin/chromedriver) against
#                 the real distribution started as for metadata (rebuilt first when bundles/web's sources are newer
#                 than it): the workflow page of a 200-task workflow, the events page over 100,000 events (no filter,
#                 and namespace+key), and 100 status events/s for [seconds] (default 30) at the open workflow page
#   kill9         the kill -9 soak: the itest KillNineIT at 16 publishers with [kills] (default 36) kills at
#                 random moments, on the distribution (built first if missing): benchmarks/run.sh kill9 h2 36
# Each measure ends as one line:
#   RESULT <measure> value=<n> baseline=<n> ratio=<r>
# where the baseline is a raw JDBC measurement taken in the same run on the same kind of database.
# The in-process suites run with the collector the platform runs with (ZGC, see
# karaf-assembly/src/main/resources/bin/setenv); AIFLOW_BENCH_GC replaces it (e.g. -XX:+UseG1GC).
# AIFLOW_BENCH_JAVA_OPTS adds JVM options; AIFLOW_BENCH_SKIP_BUILD=1 uses
# benchmarks/target as it is instead of building the module (and the modules it needs) first.
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:?usage: benchmarks/run.sh <suite> [h2|mariadb] [seconds-per-measure]}"
backend="${2:-h2}"
seconds="${3:-5}"
[ "$suite" = web ] && seconds="${3:-30}"
if [ "$suite" = kill9 ]; then
  kills="${3:-36}"
  case "$backend" in h2) method=acknowledgedEventsSurviveKillsOnH2 ;; mariadb) method=acknowledgedEventsSurviveKillsOnMariaDb ;;
    *) echo "backend must be h2 or mariadb" >&2; exit 2 ;; esac
  ls karaf-assembly/target/org.aiflow.assembly-*.tar.gz >/dev/null 2>&1 || mvn -B -q install -DskipTests -pl karaf-assembly -am
  status=0
  mvn -B -q verify -pl itests -Dit.test="KillNineIT#$method" -Daiflow.kill9.kills="$kills" || status=$?
  grep -hE "^(RESULT|#|h2 kill|mariadb kill|LOST)" itests/target/failsafe-reports/org.aiflow.itests.KillNineIT-output.txt
  exit $status
fi
if [ "${AIFLOW_BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q install -DskipTests -pl benchmarks -am
fi
distribution=
if [ "$suite" = metadata ] || [ "$suite" = web ]; then
  shopt -s nullglob
  built=(karaf-assembly/target/org.aiflow.assembly-*.tar.gz)
  # the web suite measures the UI files as they are: a distribution older than them is rebuilt (not with AIFLOW_BENCH_SKIP_BUILD=1)
  if [ ${#built[@]} -eq 0 ] || { [ "$suite" = web ] && [ "${AIFLOW_BENCH_SKIP_BUILD:-}" != 1 ] && [ -n "$(find bundles/web/src/main -newer "${built[0]}" -type f -print -quit)" ]; }; then
    mvn -B -q install -DskipTests -pl karaf-assembly -am
    built=(karaf-assembly/target/org.aiflow.assembly-*.tar.gz)
  fi
  distribution="${built[0]:?no karaf-assembly/target/org.aiflow.assembly-*.tar.gz}"
fi
exec java -Xmx2g ${AIFLOW_BENCH_GC:--XX:+UseZGC} ${AIFLOW_BENCH_JAVA_OPTS:-} -Daiflow.bench.distribution="$distribution" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  org.aiflow.benchmarks.BenchmarkMain "$suite" "$backend" "$seconds"
