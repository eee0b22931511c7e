#!/usr/bin/env bash
# End to end on a real one-node SLURM: starts munged, slurmctld and slurmd on localhost (a minimal slurm.conf
# written into a temporary folder, free ports), plans a batch over generated stacks (3 tracked, 1 that must
# fail), submits cluster/slurm/track-array.sbatch as a job array, waits, merges and checks the merged table
# against the ground truth; then resubmits one task (already done: skipped) and runs the Snakemake SLURM
# profile against the same daemons. Stops the daemons on exit. Needs root and the Debian packages slurm-wlm,
# munge and snakemake (.ci/run installs them); skipped with a message otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON=${PYTHON:-/usr/bin/python3}
PATH="$PATH:/usr/sbin:/sbin"  # the daemons
skip() { echo "cluster/tests/slurm-array: SKIPPED: $*"; exit 0; }
fail() { echo "cluster/tests/slurm-array: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root to start munged, slurmctld and slurmd (run as root, as CI does)"
for c in munged slurmctld slurmd sbatch sinfo squeue scontrol; do
  command -v "$c" >/dev/null || skip "$c is not installed (apt-get install slurm-wlm munge; .ci/run does)"
done

work=$(mktemp -d -t prdimp-slurm.XXXXXX)
chmod 711 "$work"  # munged wants its socket's folder searchable by all
stop_daemons() {
  local p pid
  for p in slurmd slurmctld munged; do
    if [ -s "$work/$p.pid" ]; then
      pid=$(cat "$work/$p.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
cleanup() {
  local rc=$?
  stop_daemons
  if [ $rc -ne 0 ] && [ -d "$work" ]; then
    for l in "$work"/*.log "$work"/out/logs/*.log; do [ -f "$l" ] && { echo "--- $l"; tail -n 20 "$l"; }; done >&2
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: a fresh key, its own socket
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$work/munge.key"
munged -f --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed" \
  || skip "munged could not start: $(tail -n 3 "$work/munged.log" 2>/dev/null | tr '\n' ' ')"

ports=$("$PYTHON" -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
read -r ctld_port d_port <<<"$ports"
node=$(hostname -s)
mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=prdimptest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -i || skip "slurmctld could not start: $(tail -n 3 "$work/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
slurmd || skip "slurmd could not start: $(tail -n 3 "$work/slurmd.log" 2>/dev/null | tr '\n' ' ')"
for _ in $(seq 60); do
  [ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ] && break
  sleep 0.5
done
[ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ] || skip "the SLURM node did not come up idle ($(sinfo -h -N -o %t 2>&1 | tr '\n' ' '))"
echo "slurm-array: one-node SLURM $(sinfo -V | cut -d' ' -f2) up on $node (ports $ctld_port, $d_port), 2 CPUs"

# a plan over generated stacks, one of them a single frame (its job must fail with its reason)
"$PYTHON" "$ROOT/cluster/tests/make_stacks.py" "$work/in" --stacks 3 --broken
out="$work/out"
"$ROOT/prdimp" batch plan "$work/in" --boxes "$work/boxes.csv" --out "$out"
[ -d "$out/logs" ] || fail "batch plan did not make $out/logs"
n=$(($(wc -l < "$out/plan.tsv") - 1))
[ "$n" = 4 ] || fail "the plan lists $n jobs, not 4"

# the three commands of cluster/README.md (sbatch --wait: returns when every task has ended)
cd "$ROOT"
# node-local scratch for the libtorch cache: inside the test's folder, removed with it (a real node keeps it)
export PRDIMP_NODE_SCRATCH="$work/scratch"
mkdir -p "$PRDIMP_NODE_SCRATCH"
start=$(date +%s.%N)
rc=0
timeout 300 sbatch --wait --array=0-$((n - 1))%2 --cpus-per-task=1 --mem=1G --output="$out/logs/%A_%a.log" \
  cluster/slurm/track-array.sbatch "$out" || rc=$?
wall=$("$PYTHON" -c "import time; print(round(time.time() - $start, 1))")
[ $rc -ne 124 ] || fail "the job array did not end within 300 s"
[ $rc -ne 0 ] || fail "sbatch --wait returned 0 though the broken stack's task must fail"
rc=0
"$ROOT/prdimp" batch merge "$out" || rc=$?
[ $rc = 1 ] || fail "batch merge returned $rc, not 1 (one job failed)"
grep -q "^done 3, failed 1, unfinished 0, not run 0" "$out/summary.txt" || fail "summary: $(cat "$out/summary.txt")"
grep -q "job 0 (broken.tif): FAILED: .*single frame" "$out/summary.txt" || fail "the failure's reason is not recorded: $(cat "$out/summary.txt")"
grep -q "^threads: 1 (from SLURM_CPUS_PER_TASK)" "$out"/logs/*_1.log || fail "task 1 did not take its threads from SLURM_CPUS_PER_TASK"
grep -q "DJL_CACHE_DIR=$work/scratch/prdimp-djl-" "$out"/logs/*_1.log || fail "task 1 did not put the libtorch cache on node scratch"
[ -d "$work/scratch/prdimp-djl-$(id -un)/pytorch" ] || fail "libtorch was not unpacked into the node scratch folder"
"$PYTHON" "$ROOT/cluster/tests/check_merged.py" "$out/merged.csv" "$work/truth.csv"
"$PYTHON" -c "print('slurm-array: 3 stacks (16 frames, 2 nuclei, 128x128) in %.1f s wall on 2 CPUs, 1 per task: %.0f stacks/hour per core' % ($wall, 3 * 3600 / ($wall * 2)))"

# resumable: the same task again is skipped (its results are there)
rc=0
timeout 120 sbatch --wait --array=1 --cpus-per-task=1 --mem=1G --output="$out/logs/again-%a.log" \
  cluster/slurm/track-array.sbatch "$out" || rc=$?
[ $rc = 0 ] || fail "resubmitting a done task returned $rc"
grep -q "already done (jobs/00001.csv); skipped" "$out/logs/again-1.log" || fail "a done job was not skipped: $(cat "$out/logs/again-1.log")"

# the Snakemake SLURM profile, against the same daemons: the plan's tracked stacks as SLURM jobs
if command -v snakemake >/dev/null; then
  rm "$work/in/broken.tif"
  grep -v '^broken.tif,' "$work/boxes.csv" > "$work/boxes-ok.csv"
  mkdir -p "$work/smk"
  timeout 300 snakemake -s "$ROOT/cluster/snakemake/Snakefile" -d "$work/smk" --profile "$ROOT/cluster/snakemake/profiles/slurm" \
    --latency-wait 5 --set-threads track=1 --config input="$work/in" boxes="$work/boxes-ok.csv" out="$work/out-smk" prdimp="$ROOT/prdimp" \
    > "$work/snakemake-slurm.log" 2>&1 || { tail -n 30 "$work/snakemake-slurm.log" >&2; fail "snakemake --profile slurm failed"; }
  grep -q "^done 3, failed 0" "$work/out-smk/summary.txt" || fail "snakemake profile summary: $(cat "$work/out-smk/summary.txt")"
  "$PYTHON" "$ROOT/cluster/tests/check_merged.py" "$work/out-smk/merged.csv" "$work/truth.csv"
  echo "slurm-array: the Snakemake profile ran the plan as SLURM jobs"
fi
echo "cluster/tests/slurm-array: passed"
