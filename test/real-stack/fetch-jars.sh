#!/usr/bin/env bash
# Fetches the real-stack suite's jars from Maven Central into test/real-stack/jars/ (ignored by git).
# Idempotent: a folder that is complete (its .complete marker exists) is not fetched again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jars="$here/jars"
# Pinned: an unpinned plugin may need a newer Maven than Debian's 3.8.7.
plugin=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
mvn_q() { mvn -B -q -f "$here/pom.xml" "$@"; }

fetch_profile() { # profile folder
  local dir="$jars/$2"
  [ -f "$dir/.complete" ] && return 0
  rm -rf "$dir"
  mvn_q -P "$1" "$plugin:copy-dependencies" -DoutputDirectory="$dir" -DincludeScope=runtime
  touch "$dir/.complete"
}

fetch_profile kafka3 kafka-3.7.2
fetch_profile kafka4 kafka-4.3.1
fetch_profile strimzi-reporter strimzi-metrics-reporter-0.2.0
if [ ! -f "$jars/agent/.complete" ]; then
  rm -rf "$jars/agent"
  mvn_q "$plugin:copy" -Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1 -DoutputDirectory="$jars/agent"
  touch "$jars/agent/.complete"
fi
echo "real-stack jars in $jars: $(ls "$jars/kafka-3.7.2" | wc -l) + $(ls "$jars/kafka-4.3.1" | wc -l) jars, agent $(ls "$jars/agent"), reporter $(ls "$jars/strimzi-metrics-reporter-0.2.0" | tr '\n' ' ')"
