#!/usr/bin/env bash
# A night's cost on a full year, repeatably: DAY's rows are copied out, the day is emptied
# (`ingest --logs` of an empty log for it), then its rows are put back with `ingest --rows`,
# timed, with the server's WAL written. Made for the README's "What a nightly's upserts cost".
#   usage: scripts/put-back-day.sh DATABASE_URL DAY [RUNS]     (e.g. .../webstats_scale_y1_p300000 2025-12-31 3)
# It changes the database while it runs (the day is gone between its take-out and put-back),
# and leaves it with the same rows.
set -euo pipefail
URL=$1 DAY=$2 RUNS=${3:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
psql -X -Atq -d "$URL" -c "\\copy (select date, \"c-ip\", \"sc-status\", category, package from bioc_web_downloads where date = '$DAY') to '$W/body'"
(printf 'date\tc-ip\tsc-status\tcategory\tpackage\n'; cat "$W/body") > "$W/rows.tsv"
mkdir "$W/logs"
node -e "import('$ROOT/lib/bench/scale/logs.js').then(m => m.writeEmptyLogDay('$W/logs', '$DAY'))"
lsn() { psql -X -Atq -d "$URL" -c "select pg_current_wal_lsn()"; }
wal() { psql -X -Atq -d "$URL" -c "select round(pg_wal_lsn_diff('$2', '$1') / 1e6)"; }
for i in $(seq "$RUNS"); do
  a=$(lsn); s=$(date +%s.%N)
  DATABASE_URL=$URL node "$ROOT/bin/webstats.js" --quiet ingest --logs "$W/logs" --since "$DAY" --until "$DAY" >/dev/null
  echo "run $i: take-out $(echo "$(date +%s.%N) - $s" | bc) s, WAL $(wal "$a" "$(lsn)") MB"
  psql -X -q -d "$URL" -c "vacuum analyze" -c "checkpoint"
  a=$(lsn); s=$(date +%s.%N)
  DATABASE_URL=$URL node "$ROOT/bin/webstats.js" --quiet ingest --rows "$W/rows.tsv" >/dev/null
  echo "run $i: put-back $(echo "$(date +%s.%N) - $s" | bc) s, WAL $(wal "$a" "$(lsn)") MB"
done
