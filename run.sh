#!/usr/bin/env bash
# Builds AI Flow (without tests) and starts it in the foreground with the Karaf console:
# embedded H2 store, the process runner and the sample workflow 'hello-world'.
# Data stays in target/aiflow between runs until the sources change; `./run.sh --fresh` starts over.
# The REST API (http://127.0.0.1:8181/aiflow/v1, loopback only) is ready when
# `target/aiflow/bin/aiflow-wait-ready` returns (it polls /aiflow/v1/health/ready): use it from
# another terminal or a script before calling the API.
set -euo pipefail
cd "$(dirname "$0")"
home=target/aiflow
if [ "${1:-}" = "--fresh" ] || [ ! -x "$home/bin/karaf" ] || [ -n "$(find plugin-api flink-cluster bundles features karaf-assembly examples clients sample-plugins -newer "$home/bin/karaf" -type f -not -path '*/target/*' 2>/dev/null | head -1)" ]; then
  echo "Building the distribution (sources changed or first run; the store starts empty)..."
  mvn -B -q install -DskipTests -pl karaf-assembly -am
  rm -rf "$home" && mkdir -p "$home"
  tar xzf karaf-assembly/target/org.aiflow.assembly-*.tar.gz -C "$home" --strip-components=1
fi
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
exec "$home/bin/karaf"
