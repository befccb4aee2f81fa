#!/bin/sh
# The whole test run, as CI does it: test dependencies, the Maven build with every unit and
# interop test, then a check that no test was skipped — a skipped interop test must never pass as green.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

src/scripts/install-test-deps.sh
# Reports of an earlier run must not speak for this one.
find . -path '*/target/*-reports' -type d -prune -exec rm -rf {} +
mvn -B verify "$@"

reports=$(find . -path '*/target/*-reports/TEST-*.xml' -type f | sort)
if [ -z "$reports" ]; then
    echo "test-all: no test reports found" >&2
    exit 1
fi
skipped=$(grep -l 'skipped="[1-9][0-9]*"' $reports || true)
if [ -n "$skipped" ]; then
    echo "test-all: skipped tests are failures here; see:" >&2
    echo "$skipped" >&2
    exit 1
fi
echo "test-all: $(echo "$reports" | wc -l) report files, no test skipped"
