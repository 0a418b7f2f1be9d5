#!/bin/bash
# scripts/flurm-slurm.sh — replay a Flurm trace on a real Flux instance
# inside a Slurm job (ARIS thin nodes by default).
#
#   sbatch [--nodes=N] scripts/flurm-slurm.sh TRACE
#   scripts/flurm-slurm.sh --dry-run TRACE      print the commands only
#
# It does what ARIS's flux_template.sh does — one Flux broker per node
# Slurm gave, the first node as the control node, Fluxion seeing the
# sockets — but `flurm-sim topo --flux-config` writes the configuration
# (R, JGF and TOML) that the template made with jgf_gen.py, flux R encode
# and sed.  Then `flurm-sim live` submits the trace's jobs to the instance
# and records what Flux did.  docs/slurm.md says how to use it.
#
# Every setting below can also be given in the environment
# (MATCH_POLICY=lonode sbatch ...).  --dry-run needs SLURM_NODELIST and
# SLURM_JOB_NUM_NODES set by hand.
#
#SBATCH --job-name=flurm-live
#SBATCH --output=flurm-live.%j.out
#SBATCH --error=flurm-live.%j.err
#SBATCH --nodes=3
#SBATCH --ntasks-per-node=1
#SBATCH --exclusive
#SBATCH --time=01:00:00
# On ARIS also name your project (and the partition of thin nodes, if it
# is not your default) by removing one '#' from these:
##SBATCH --account=PROJECT
##SBATCH --partition=compute

# ---- settings ----------------------------------------------------------
FLURM_SIM=${FLURM_SIM:-flurm-sim}     # the flurm-sim program
FLUX=${FLUX:-flux}                    # the flux program (e.g. from spack load flux-sched)
SOCKETS=${SOCKETS:-2}                 # per node: ARIS thin nodes have 2 sockets
CORES_PER_SOCKET=${CORES_PER_SOCKET:-10}  # of 10 cores
CONTROL_NODE=${CONTROL_NODE:-yes}     # yes: the first node runs no jobs, only Flux's leader
MATCH_POLICY=${MATCH_POLICY:-}        # Fluxion match policy; empty: Fluxion's default (first)
QUEUE_POLICY=${QUEUE_POLICY:-}        # fcfs | easy | hybrid | conservative; empty: fcfs
QUEUE_DEPTH=${QUEUE_DEPTH:-}          # empty: Fluxion's default (32)
RESERVATION_DEPTH=${RESERVATION_DEPTH:-}  # hybrid's; empty: Fluxion's default (64)
QUEUES=${QUEUES:-}                    # "NAME[:POLICY[:PROP,...]] ...", the first the default
PROPS=${PROPS:-}                      # "HOSTLIST:PROP,... ...": node properties for the queues
TBON_INTERFACE=${TBON_INTERFACE:-}    # network for Flux's overlay, e.g. ib0 on ARIS
LIVE_OPTS=${LIVE_OPTS:-}              # more `flurm-sim live` options, e.g. "--compare -v"
WORKDIR=${WORKDIR:-$PWD/flurm-live.${SLURM_JOB_ID:-dry-run}}  # config and results go here

# ---- site set-up -------------------------------------------------------
# Make flux and flurm-sim reachable here, as the ARIS template does, e.g.:
#   module load gnu/13.2.0 python/3.9.18
#   . "$SPACK_ROOT/share/spack/setup-env.sh" && spack load flux-sched

# ---- the run -----------------------------------------------------------
set -u
dry_run=no
if [ "${1:-}" = --dry-run ]; then
    dry_run=yes
    shift
fi
TRACE=${TRACE:-${1:-}}
die () { echo "flurm-slurm: $*" >&2; exit 2; }
[ -n "$TRACE" ] || die "usage: flurm-slurm.sh [--dry-run] TRACE (or set TRACE)"
[ $# -le 1 ] || die "unexpected argument '$2'"
if [ -z "${SLURM_NODELIST:-}" ] || [ -z "${SLURM_JOB_NUM_NODES:-}" ]; then
    die "SLURM_NODELIST and SLURM_JOB_NUM_NODES are not set: submit with sbatch"
fi
[ "$dry_run" = yes ] || [ -r "$TRACE" ] || die "cannot read the trace '$TRACE'"

CONF=$WORKDIR/flux-conf
OUT=$WORKDIR/live

# run CMD...: run it, or with --dry-run print it, quoted so that it can be
# pasted back into a shell.
run () {
    if [ "$dry_run" = yes ]; then
        printf '%q' "$1"
        shift
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

# The lists are split at blanks, never globbed ("aris[0-1]:normal" is a
# pattern to the shell).
read -r -a props <<<"$PROPS"
read -r -a queues <<<"$QUEUES"
read -r -a live_opts <<<"$LIVE_OPTS"

topo=("$FLURM_SIM" topo --hosts "$SLURM_NODELIST" --sockets "$SOCKETS"
      --cores "$CORES_PER_SOCKET")
for p in ${props[@]+"${props[@]}"}; do topo+=(--prop "$p"); done
[ "$CONTROL_NODE" = yes ] && topo+=(--control-node)
[ -n "$MATCH_POLICY" ] && topo+=(--match-policy "$MATCH_POLICY")
[ -n "$QUEUE_POLICY" ] && topo+=(--queue-policy "$QUEUE_POLICY")
[ -n "$QUEUE_DEPTH" ] && topo+=(--queue-depth "$QUEUE_DEPTH")
[ -n "$RESERVATION_DEPTH" ] && topo+=(--reservation-depth "$RESERVATION_DEPTH")
for q in ${queues[@]+"${queues[@]}"}; do topo+=(--queue "$q"); done
topo+=(--flux-config "$CONF")

start=("$FLUX" start -c "$CONF")
[ -n "$TBON_INTERFACE" ] && start+=("-Stbon.interface-hint=$TBON_INTERFACE")

# --cluster-from-flux: the jobs go to the nodes Slurm gave (the instance's),
# not to the host names of the trace's own cluster.
live=("$FLURM_SIM" live "$TRACE" --cluster-from-flux -o "$OUT"
      ${live_opts[@]+"${live_opts[@]}"})
# Flux starts named queues stopped: start them before the first job.
if [ ${#queues[@]} -gt 0 ]; then
    # shellcheck disable=SC2016  # $@ is for the inner shell
    live=(bash -c '"$1" queue start --all --quiet && shift && exec "$@"' flurm-slurm "$FLUX"
          "${live[@]}")
fi

run mkdir -p "$WORKDIR" || exit 1
run "${topo[@]}" || exit 1
run srun -N "$SLURM_JOB_NUM_NODES" -n "$SLURM_JOB_NUM_NODES" --mpi=pmi2 "${start[@]}" "${live[@]}"
