#!/bin/bash
# A/B of cold invocations between two builds, alternating, so that the machine's drift falls on
# both alike. Each round runs, for each build, a fresh JVM with Lambda's flags on that build's
# deployed jar (the bench's ColdInvoke, as its cold table does) for the authorizer, create, list
# and update, against one DynamoDB Local: start one first, e.g.
#   java -jar local/target/otp-local.jar serve --in-memory --dynamodb-port 8950 --port 3950 --lambda-port 3951
# (and create a few codes through it). Both checkouts must be built with
#   mvn -B -q -Pbench package -DskipTests
# Usage: bench/ab-cold.sh BEFORE_CHECKOUT AFTER_CHECKOUT [ROUNDS=20] [ENDPOINT=http://127.0.0.1:8950]
# Environment: FUNCTIONS (the handlers to run, e.g. "ListOtpCodesHandler"; all four if unset);
# BEFORE_ENDPOINT (the before build's own DynamoDB Local, for a build whose summaries have another
# layout: start its own local runtime on other ports and create the same codes through it).
# Each round also runs the floor (the bench's FloorProbe: a client and one PutItem) once.
# Prints the median wall and CPU (user + system) time of each function for each build, and the
# wall time's ratio to the floor's.
set -euo pipefail
before=$1; after=$2; rounds=${3:-20}
endpoint=${4:-http://127.0.0.1:8950}
export DYNAMODB_ENDPOINT=$endpoint OTP_TABLE_NAME=OtpCodesTable COUNTER_TABLE_NAME=CountersTable \
    SUMMARY_TABLE_NAME=SummariesTable TOKEN_TABLE_NAME=TokensTable AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
functions=${FUNCTIONS:-TokenAuthorizerHandler CreateOtpCodeHandler ListOtpCodesHandler UpdateOtpCodeHandler}
declare -A event=([TokenAuthorizerHandler]=authorizer.json [CreateOtpCodeHandler]=create.json
    [ListOtpCodesHandler]=list.json [UpdateOtpCodeHandler]=update.json)
lambda_flags="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
events=$(cd "$(dirname "$0")/../events" && pwd)
results=$(mktemp)
timing=$(mktemp)
for round in $(seq 1 "$rounds"); do
  /usr/bin/time -o "$timing" -f "%e %U %S" java $lambda_flags \
      -cp "$after/functions/target/otp-functions-lambda.jar:$after/bench/target/classes" \
      io.otpcodes.bench.FloorProbe CountersTable > /dev/null 2>&1 || true
  echo "floor FloorProbe $(tail -1 "$timing")" >> "$results"
  for build in "$before" "$after"; do
    if [ "$build" = "$before" ]; then DYNAMODB_ENDPOINT=${BEFORE_ENDPOINT:-$endpoint}; else DYNAMODB_ENDPOINT=$endpoint; fi
    for function in $functions; do
      # the authorizer's sample token is unknown here: its 401 path, in both builds alike
      /usr/bin/time -o "$timing" -f "%e %U %S" java $lambda_flags \
          -cp "$build/functions/target/otp-functions-lambda.jar:$build/bench/target/classes" \
          io.otpcodes.bench.ColdInvoke "io.otpcodes.handler.$function" "$events/${event[$function]}" > /dev/null 2>&1 || true
      echo "$build $function $(tail -1 "$timing")" >> "$results"
    done
  done
done
python3 - "$results" "$before" "$after" $functions <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    build, function, wall, user, system = line.split()
    rows.setdefault((function, build), []).append((float(wall), float(user) + float(system)))
floor = statistics.median(x[0] for x in rows[("FloorProbe", "floor")])
print(f"floor: wall {floor:.3f} s, {len(rows[('FloorProbe', 'floor')])} runs")
for function in sys.argv[4:]:
    a, b = rows[(function, sys.argv[2])], rows[(function, sys.argv[3])]
    wa, wb = statistics.median(x[0] for x in a), statistics.median(x[0] for x in b)
    ca, cb = statistics.median(x[1] for x in a), statistics.median(x[1] for x in b)
    print(f"{function}: wall {wa:.3f} -> {wb:.3f} s ({(wb / wa - 1) * 100:+.1f} %; {wa / floor:.2f}x -> {wb / floor:.2f}x the floor), "
          f"CPU {ca:.3f} -> {cb:.3f} s ({(cb / ca - 1) * 100:+.1f} %), {len(a)} and {len(b)} runs")
PY
