#!/bin/sh
# Runs the Python client's integration tests (Maven module clients/python-itests, integration-test phase)
# against the distribution $1 (the built karaf-assembly tar.gz), which the fixture unpacks into a
# temporary directory and starts on free ports. $2, $3, $4: Maven's skipTests, maven.test.skip and
# skipITs ("true" skips). By hand, after the assembly is built:
#   flock /tmp/aiflow-dist.lock python3 -m pytest clients/python/tests/integration
set -eu
case "${2:-false}${3:-false}${4:-false}" in
  *true*) echo "[python-itests] tests are skipped"; exit 0 ;;
esac
cd "$(dirname "$0")/../python"
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import pytest' >/dev/null 2>&1; then
    echo "[python-itests] $("$py" -c 'import sys, pytest; print(sys.executable, sys.version.split()[0], "pytest", pytest.__version__)'), distribution $1"
    # no caches or bytecode in the source tree
    AIFLOW_DISTRIBUTION="$1" PYTHONDONTWRITEBYTECODE=1 exec "$py" -m pytest -q -p no:cacheprovider -rA tests/integration
  fi
done
echo "[python-itests] no python3 with pytest found (tried python3 on PATH and /usr/bin/python3):" >&2
echo "[python-itests] install Debian's python3 and python3-pytest (bash .ci/run does), or skip with -DskipTests" >&2
exit 1
