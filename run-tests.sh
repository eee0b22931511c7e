#!/usr/bin/env bash
# Runs every test of the repository: pytest for models/, Maven for the Java modules, then the
# ./prdimp script itself (doctor and the demo, the README's main job) into a temporary folder.
# On a fresh Debian/Ubuntu machine it first installs the packages it needs when run as root (as CI
# does), else prints the one apt-get command to run (.ci/packages.sh).
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=.ci/packages.sh
. .ci/packages.sh
# shellcheck disable=SC2046
need_packages "./run-tests.sh" $(all_packages)
PYTHON=${PYTHON:-/usr/bin/python3}
echo "== models/: pytest (PyTorch $($PYTHON -c 'import torch; print(torch.__version__)'))"
(cd models && OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} "$PYTHON" -m pytest -q -p no:cacheprovider tests)
echo "== Java modules: mvn verify"
mvn -B -ntp verify
echo "== ./prdimp doctor and ./prdimp demo"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./prdimp doctor
./prdimp demo --out "$out/demo"
for f in results.csv tracked.tif confidence.png summary.txt; do
  [ -s "$out/demo/$f" ] || { echo "run-tests: the demo did not write $f" >&2; exit 1; }
done
echo "== cluster/: the Snakemake workflow and a SLURM job array, end to end"
cluster/tests/snakemake-local.sh
cluster/tests/slurm-array.sh
echo "== all tests passed"
