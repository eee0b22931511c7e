#!/usr/bin/env bash
# Runs every test of the repository: pytest for models/, then Maven for the Java modules.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
echo "== models/: pytest (PyTorch $($PYTHON -c 'import torch; print(torch.__version__)'))"
(cd models && OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} "$PYTHON" -m pytest -q -p no:cacheprovider tests)
echo "== Java modules: mvn verify"
mvn -B -ntp verify
