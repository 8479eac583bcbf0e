#!/bin/sh
# Runs the Python client's unit tests (Maven module clients/python, test phase).
# $1, $2: Maven's skipTests and maven.test.skip ("true" or empty skips).
# Picks the first python3 that has pytest: the one on PATH (e.g. pyenv's), then Debian's /usr/bin/python3.
set -eu
case "${1:-false}${2:-false}" in
  *true*|'') echo "[python] tests are skipped"; exit 0 ;;
esac
cd "$(dirname "$0")"
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import pytest' >/dev/null 2>&1; then
    echo "[python] $("$py" -c 'import sys, pytest; print(sys.executable, sys.version.split()[0], "pytest", pytest.__version__)')"
    # no caches or bytecode in the source tree
    PYTHONDONTWRITEBYTECODE=1 exec "$py" -m pytest -q -p no:cacheprovider tests/unit
  fi
done
echo "[python] no python3 with pytest found (tried python3 on PATH and /usr/bin/python3):" >&2
echo "[python] install Debian's python3 and python3-pytest (bash .ci/run does), or skip with -DskipTests" >&2
exit 1
