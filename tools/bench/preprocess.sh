#!/usr/bin/env bash
# Preprocessing speed: our VideoPreprocessor against the ffmpeg command line running the
# reference filter (scale=-16:160,fps=fps=25/8) on a generated 2-minute 1440x1080 25 fps H.264
# recording at 6 Mb/s. Prints both medians, their ratio (goal: <= 1.2) and our peak heap.
# Arguments go to PreprocessBenchmark: [--seconds 120] [--repeats 3] [--bitrate 6M]
# [--work DIR] [--ffmpeg PATH]. The recording is kept in the work folder and reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl examples -am package -DskipTests
exec java -Xmx512m -cp examples/target/engagement.jar \
  org.engagement4j.examples.bench.PreprocessBenchmark "$@"
