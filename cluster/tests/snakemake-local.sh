#!/usr/bin/env bash
# End to end: cluster/snakemake/Snakefile run locally (snakemake --cores 2) over generated stacks: plan, one
# track job per stack, merge; the merged table checked against the ground truth; a second run has nothing to
# do; a deleted result (with the merged table) is tracked again, and only it. Needs snakemake (Debian package; .ci/run installs it);
# skipped with a message otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON=${PYTHON:-/usr/bin/python3}
command -v snakemake >/dev/null || { echo "cluster/tests/snakemake-local: SKIPPED: snakemake is not installed (apt-get install snakemake; .ci/run does)"; exit 0; }
fail() { echo "cluster/tests/snakemake-local: FAILED: $*" >&2; exit 1; }
work=$(mktemp -d -t prdimp-snakemake.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

"$PYTHON" "$ROOT/cluster/tests/make_stacks.py" "$work/in" --stacks 3
out="$work/out"
smk() {
  timeout 300 snakemake -s "$ROOT/cluster/snakemake/Snakefile" -d "$work/wd" --cores 2 \
    --config input="$work/in" boxes="$work/boxes.csv" out="$out" prdimp="$ROOT/prdimp" > "$work/snakemake.log" 2>&1 \
    || { tail -n 40 "$work/snakemake.log" >&2; fail "snakemake failed"; }
}
start=$(date +%s.%N)
smk
wall=$("$PYTHON" -c "import time; print(round(time.time() - $start, 1))")
grep -q "^done 3, failed 0, unfinished 0, not run 0" "$out/summary.txt" || fail "summary: $(cat "$out/summary.txt")"
"$PYTHON" "$ROOT/cluster/tests/check_merged.py" "$out/merged.csv" "$work/truth.csv"
cat "$out/summary.txt"
"$PYTHON" -c "print('snakemake-local: 3 stacks (16 frames, 2 nuclei, 128x128) in %.1f s wall with --cores 2: %.0f stacks/hour per core' % ($wall, 3 * 3600 / ($wall * 2)))"

# a second run: nothing to do
smk
grep -q "Nothing to be done" "$work/snakemake.log" || fail "a second run did work again: $(tail -n 20 "$work/snakemake.log")"
# a lost result (and the merged table): that job alone runs again, then the merge
before=$(stat -c %Y.%N "$out/jobs/00000.csv")
rm "$out/jobs/00001.csv" "$out/merged.csv"
smk
[ -s "$out/jobs/00001.csv" ] || fail "the deleted result was not made again"
[ "$(stat -c %Y.%N "$out/jobs/00000.csv")" = "$before" ] || fail "a finished job ran again"
grep -q "rule track:" "$work/snakemake.log" && [ "$(grep -c "rule track:" "$work/snakemake.log")" = 1 ] \
  || fail "not exactly one track job ran: $(grep -c "rule track:" "$work/snakemake.log")"
"$PYTHON" "$ROOT/cluster/tests/check_merged.py" "$out/merged.csv" "$work/truth.csv"
echo "cluster/tests/snakemake-local: passed"
