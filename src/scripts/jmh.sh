#!/bin/sh
# Runs the JMH benchmarks of a module (default bgp-wire) from its test classes.
#   src/scripts/jmh.sh                      # every benchmark in bgp-wire, JMH defaults from the annotations
#   src/scripts/jmh.sh bgp-wire 'Decode' -f 1 -wi 3 -i 5 -rf json -rff target/jmh.json
# Arguments after the module are passed to JMH (org.openjdk.jmh.Main).
set -eu
cd "$(dirname "$0")/../.."
module="${1:-bgp-wire}"
[ $# -gt 0 ] && shift
mvn -q -B -DskipTests -Djacoco.skip=true test-compile -pl "$module" -am
mvn -q -B dependency:build-classpath -pl "$module" -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/jmh.classpath")"
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
