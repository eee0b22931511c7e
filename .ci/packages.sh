# Sourced by ./prdimp, ./run-tests.sh and .ci/run: the Debian/Ubuntu packages the project needs.
# need_packages WHAT PACKAGE...: as root (with apt-get) installs them, otherwise prints the one
# command to run and exits 2. Packages already installed are not passed.
need_packages() {
  local what=$1
  shift
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$what: installing $* (apt-get, as root)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "$@" >&2
  else
    echo "$what needs packages that are not installed; run this once, then again:" >&2
    echo "  sudo apt-get install -y $*" >&2
    exit 2
  fi
}

# The JDK and Maven the Java build needs (./prdimp builds the plugin on first use).
java_packages() {
  local need=()
  command -v mvn >/dev/null || need+=(maven)
  command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
  echo "${need[@]}"
}

# Everything ./run-tests.sh runs: Python with PyTorch for models/, the JDK and Maven, and for the GUI
# test (ImageJ under Xvfb) an X server, AWT's X libraries and a font; for the cluster tests SLURM,
# munge and Snakemake.
all_packages() {
  local need=()
  /usr/bin/python3 -c 'import torch, torchvision, pytest, numpy, yaml, PIL' 2>/dev/null || \
    need+=(python3-torch python3-torchvision python3-pytest python3-numpy python3-yaml python3-pil)
  need+=($(java_packages))
  command -v Xvfb >/dev/null || need+=(xvfb libxtst6 libxrender1 libxi6 libxext6 fontconfig fonts-dejavu-core)
  # the cluster tests (cluster/tests/): a one-node SLURM on localhost and Snakemake
  { command -v slurmctld >/dev/null && command -v munged >/dev/null; } || need+=(slurm-wlm munge)
  command -v snakemake >/dev/null || need+=(snakemake)
  echo "${need[@]}"
}
