#!/usr/bin/env bash
# A single-node Slurm cluster on this machine (Debian 12 packages), for `workbench sweep
# --launcher slurm` and its integration test (Tests/WorkbenchCLITests/SlurmSweepTests.swift).
#
#   scripts/slurm-single-node.sh start    install munge + slurm if missing (apt, as root), write
#                                         /etc/slurm/slurm.conf from scripts/slurm/slurm.conf.in,
#                                         start munged, slurmctld, slurmd; wait until the node is idle
#   scripts/slurm-single-node.sh stop     cancel every job, stop slurmd, slurmctld and munged
#   scripts/slurm-single-node.sh status   print sinfo/squeue (exit 1 when the cluster is not up)
#
# Exit status of start: 0 the node is idle; 1 it could not be started (the reason is printed).
# Logs: /var/log/slurm/slurmctld.log, /var/log/slurm/slurmd.log.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
conf=/etc/slurm/slurm.conf

die() { echo "slurm-single-node: $*" >&2; exit 1; }

# A pid from a pid file whose process is alive and not a zombie.
alive() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ]
}

# Runs a daemon with none of our file descriptors: a caller that waits for this script's
# output to end, or (Swift's Process on Linux) for a descriptor it passed us to close, would
# otherwise wait for as long as the daemon runs.
detached() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      n="${fd##*/}"
      [ "$n" -gt 2 ] && [ "$n" != 255 ] && eval "exec $n>&-" 2>/dev/null
    done
    exec "$@"
  ) </dev/null >/dev/null 2>&1
}

node_idle() {
  local state
  state="$(sinfo -h -N -o '%T' 2>/dev/null | head -1)"
  case "$state" in idle | mixed | allocated) return 0 ;; *) return 1 ;; esac
}

install_packages() {
  command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
    && command -v munged >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "munge and slurm are not installed and installing them needs root"
  command -v apt-get >/dev/null || die "munge and slurm are not installed and there is no apt-get"
  echo "slurm-single-node: installing munge and slurm (apt-get, --no-install-recommends)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 \
      && apt-get install -y -q --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null; } \
    || die "apt-get could not install munge slurmctld slurmd slurm-client"
}

write_config() {
  local host node mem
  host="$(hostname -s)"
  # slurmd -C: "NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24104"
  node="$(slurmd -C 2>/dev/null | head -1)"
  [ -n "$node" ] || die "slurmd -C printed nothing"
  mem="$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node")"
  node="$(sed -e "s/ RealMemory=[0-9]*/ RealMemory=$((mem * 9 / 10))/" -e 's/ Boards=[0-9]*//' \
    -e 's/SocketsPerBoard=/Sockets=/' <<<"$node") NodeAddr=127.0.0.1 State=UNKNOWN"
  mkdir -p /etc/slurm
  sed -e "s/@HOST@/$host/" -e "s/@NODE@/$node/" "$here/slurm/slurm.conf.in" >"$conf.tmp" && mv "$conf.tmp" "$conf"
}

start() {
  [ "$(id -u)" = 0 ] || die "starting the daemons needs root"
  install_packages
  write_config
  mkdir -p /run/munge /run/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  chown munge:munge /run/munge && chmod 0755 /run/munge
  chown slurm:slurm /var/spool/slurmctld /var/log/slurm
  [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create || die "could not create the munge key"
  alive /run/munge/munged.pid || detached runuser -u munge -- /usr/sbin/munged || die "munged did not start"
  if alive /run/slurm/slurmctld.pid; then scontrol reconfigure >/dev/null 2>&1; else
    detached /usr/sbin/slurmctld || die "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
  fi
  alive /run/slurm/slurmd.pid || detached /usr/sbin/slurmd || die "slurmd did not start (see /var/log/slurm/slurmd.log)"
  for _ in $(seq 1 60); do
    if node_idle; then
      echo "slurm-single-node: node $(hostname -s) is $(sinfo -h -N -o '%T' | head -1)"
      return 0
    fi
    # a node left DOWN/DRAIN by an earlier run comes back once told to
    scontrol update nodename="$(hostname -s)" state=resume >/dev/null 2>&1
    sleep 0.5
  done
  die "the node did not become idle in 30 s: $(sinfo -h -N -o '%T %E' 2>&1 | head -1) (see /var/log/slurm/)"
}

stop_pid() {
  local file="$1" pid
  alive "$file" || return 0
  pid="$(cat "$file")"
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 50); do alive "$file" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
}

stop() {
  # scontrol shutdown leaves running jobs' slurmstepd behind: cancel the jobs first
  scancel --partition=debug >/dev/null 2>&1
  for _ in $(seq 1 30); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  stop_pid /run/slurm/slurmd.pid
  stop_pid /run/slurm/slurmctld.pid
  stop_pid /run/munge/munged.pid
  echo "slurm-single-node: stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) node_idle && { sinfo; squeue; } || die "the cluster is not up: $(sinfo 2>&1 | head -1)" ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
