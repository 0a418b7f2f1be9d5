#!/usr/bin/env python3
"""scripts/gen_npb_model.py -- write the application profile file
(models/npb-aris.yaml) from the ELiSE measurement pool of ARIS.

    scripts/gen_npb_model.py [DATA_JSON] [-o models/npb-aris.yaml]

DATA_JSON defaults to ../shared/data/npb/aris-elise/lm-aris.compute-NAS.json
relative to the repository root.  The repository and commit the data came
from are read from the SOURCES.md found above DATA_JSON, so that the
provenance written into the profile is the one the data folder states.

Invariants of the output (docs/model-format.md describes the format):
  * apps sorted by benchmark, class, processes; partners in the same order;
  * medians computed exactly (decimal arithmetic on the numbers as written
    in the JSON), so the same input gives the same bytes on any machine;
  * speedup = compact median / co-run median, rounded half-even to 4
    decimals;
  * nothing is skipped: a load without compact runs, a partner naming no
    load, an empty or non-positive run, a name disagreeing with its process
    count all fail the script, every problem listed on stderr;
  * the file is replaced atomically (temporary file + rename).
"""

import argparse
import decimal
import json
import os
import re
import sys
import tempfile
from decimal import Decimal

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO_ROOT, "..", "shared", "data", "npb", "aris-elise",
                            "lm-aris.compute-NAS.json")
DEFAULT_OUT = os.path.join(REPO_ROOT, "models", "npb-aris.yaml")
FIT_NAME = "npb-aris-fit.yaml"

# Who measured, per SOURCES.md (npb/aris-elise).  Only known for the ARIS
# pool; another machine's pool must say it with --measured.
MEASURED = {"aris.compute": "ARIS thin nodes, NTUA CSLab (ELiSE, JSSPP 2025)"}

# The loader (models/app_profiles.c) refuses runtimes above this: a longer
# one is a unit or typing mistake, not a measurement.
MAX_SECONDS = Decimal("1e8")
NAME_RE = re.compile(r"^([a-z]+)\.([A-Z])\.([1-9][0-9]*)$")
SPEEDUP_PLACES = Decimal("0.0001")


class DataError(Exception):
    """The input cannot be turned into a profile file; message says why."""


def fail_json_constant(name):
    raise DataError("the JSON holds %s, which is not a runtime" % name)


def find_sources(data_path):
    """The folder holding SOURCES.md above data_path, and data_path
    relative to it."""
    folder = os.path.dirname(os.path.abspath(data_path))
    while True:
        if os.path.isfile(os.path.join(folder, "SOURCES.md")):
            return folder, os.path.relpath(os.path.abspath(data_path), folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            raise DataError("no SOURCES.md above %s: the repository and commit of the data "
                            "are read from it" % data_path)
        folder = parent


def read_provenance(root, rel):
    """Repository, commit and upstream path from the SOURCES.md heading of
    rel's folder: ### DIR/  (source: `owner/name` @ `sha`, `path`; ...)."""
    folder = os.path.dirname(rel).replace(os.sep, "/")
    heading = re.compile(r"^### " + re.escape(folder) + r"/\s+\(source: `([^`]+)` @ "
                         r"`([0-9a-f]{40})`(?:, `([^`]+)`)?")
    with open(os.path.join(root, "SOURCES.md"), encoding="utf-8") as f:
        for line in f:
            m = heading.match(line)
            if m:
                return m.group(1), m.group(2), m.group(3)
    raise DataError("%s/SOURCES.md has no '### %s/  (source: `owner/name` @ `commit`' "
                    "heading" % (root, folder))


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def seconds(d):
    """A runtime as written: at least 2 decimals, more only when exact
    needs them (a median of two values may have a third)."""
    exponent = min(d.as_tuple().exponent, -2)
    return "{:f}".format(d.quantize(Decimal(1).scaleb(exponent)))


def runs_of(where, values, errors):
    """The runtimes of one list, checked and at least one; None (the
    problem added to errors) when unusable."""
    if not isinstance(values, list):
        errors.append("%s: not a list of runtimes" % where)
        return None
    if not values:
        errors.append("%s: no runs" % where)
        return None
    bad = [v for v in values if not isinstance(v, (Decimal, int)) or isinstance(v, bool)
           or not 0 < v <= MAX_SECONDS]
    if bad:
        errors.append("%s: runtimes must be numbers in (0, %d] s (got %s)"
                      % (where, MAX_SECONDS, bad[0]))
        return None
    return [Decimal(v) for v in values]


def app_key(name):
    bench, cls, procs = NAME_RE.match(name).groups()
    return (bench, cls, int(procs))


def read_pool(path):
    """The loads of the pool, checked; raises DataError listing every
    problem."""
    with open(path, encoding="utf-8") as f:
        pool = json.load(f, parse_float=Decimal, parse_constant=fail_json_constant)
    if not isinstance(pool, dict) or not isinstance(pool.get("loads"), list):
        raise DataError("%s: expected an object with a 'loads' list" % path)
    machine = pool.get("machine")
    if not isinstance(machine, str) or not machine:
        raise DataError("%s: 'machine' must name the machine measured" % path)
    errors = []
    loads = {}
    for i, text in enumerate(pool["loads"]):
        where = "%s: loads[%d]" % (path, i)
        if not isinstance(text, str):
            errors.append("%s: expected a JSON-encoded string" % where)
            continue
        try:
            load = json.loads(text, parse_float=Decimal, parse_constant=fail_json_constant)
        except (ValueError, DataError) as e:
            errors.append("%s: %s" % (where, e))
            continue
        name = load.get("load_name") if isinstance(load, dict) else None
        if not isinstance(name, str):
            errors.append("%s: no load_name" % where)
            continue
        where = "%s (%s)" % (where, name)
        m = NAME_RE.match(name)
        if not m:
            errors.append("%s: name is not benchmark.CLASS.processes" % where)
            continue
        if load.get("num_of_processes") != int(m.group(3)):
            errors.append("%s: num_of_processes %s disagrees with the name"
                          % (where, load.get("num_of_processes")))
        if load.get("machine", machine) != machine:
            errors.append("%s: machine %s, the pool is %s" % (where, load.get("machine"), machine))
        if name in loads:
            errors.append("%s: a second load of that name" % where)
            continue
        compact = runs_of(where + " compact_timelogs", load.get("compact_timelogs"), errors)
        partners = load.get("coscheduled_timelogs", {})
        if not isinstance(partners, dict):
            errors.append("%s: coscheduled_timelogs is not an object" % where)
            partners = {}
        corun = {}
        for partner, copies in partners.items():
            pwhere = "%s next to %s" % (where, partner)
            if not isinstance(copies, list) or not copies:
                errors.append("%s: expected a list of copies' runs" % pwhere)
                continue
            flat = []
            for k, runs in enumerate(copies):
                flat += runs_of("%s copy %d" % (pwhere, k), runs, errors) or []
            corun[partner] = flat
        loads[name] = {"compact": compact, "corun": corun}
    for name, load in loads.items():
        for partner in load["corun"]:
            if partner not in loads:
                errors.append("%s: %s: partner %s is no load of the pool" % (path, name, partner))
    if errors:
        raise DataError("\n".join(errors))
    return machine, loads


def render(machine, loads, data_rel, repo, commit, upstream, measured):
    out = []
    w = out.append
    w("# models/npb-aris.yaml: NPB application profiles measured on ARIS.")
    w("# Generated by scripts/gen_npb_model.py; do not edit by hand, regenerate:")
    w("#   scripts/gen_npb_model.py [DATA_JSON] [-o models/npb-aris.yaml]")
    w("# Data: %s of the team's shared data" % data_rel)
    w("#   (see its SOURCES.md), a copy of %s in" % (upstream or "a file"))
    w("#   %s @ %s." % (repo, commit))
    w("# Measured by: %s." % measured)
    w("# compact: the app alone, compact on full nodes (10 processes per socket):")
    w("#   median, min and max of the runs in seconds (min/max give the run-to-run")
    w("#   spread) and how many runs there were.")
    w("# pairs: B -> the app co-scheduled with B, each job on half of every socket")
    w("#   (5 + 5 cores per node): median of all runs of all copies of the app (when")
    w("#   B is k times larger, k copies ran beside it), their min and max, and how")
    w("#   many runs that is.")
    w("# speedup = compact median / co-run median, 4 decimals: > 1 means the app ran")
    w("#   faster spread next to B than compact alone.")
    w("# fit: the analytic parameters fitted by `flurm-sim calibrate` (docs/model-format.md).")
    w("machine: %s" % json.dumps(machine))
    w("source:")
    w("  data: %s" % json.dumps(data_rel))
    w("  repository: %s" % json.dumps(repo))
    w("  commit: %s" % json.dumps(commit))
    w("  measured: %s" % json.dumps(measured))
    w("fit: %s" % FIT_NAME)
    w("apps:")
    for name in sorted(loads, key=app_key):
        load = loads[name]
        c = load["compact"]
        cm = median(c)
        w("  %s:" % name)
        w("    procs: %d" % app_key(name)[2])
        w("    compact: {median: %s, min: %s, max: %s, runs: %d}"
          % (seconds(cm), seconds(min(c)), seconds(max(c)), len(c)))
        if not load["corun"]:
            w("    pairs: {}")
            continue
        w("    pairs:")
        for partner in sorted(load["corun"], key=app_key):
            runs = load["corun"][partner]
            m = median(runs)
            speedup = (cm / m).quantize(SPEEDUP_PLACES, rounding=decimal.ROUND_HALF_EVEN)
            w("      %s: {median: %s, min: %s, max: %s, runs: %d, speedup: %s}"
              % (partner, seconds(m), seconds(min(runs)), seconds(max(runs)), len(runs),
                 speedup))
    return "\n".join(out) + "\n"


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main():
    ap = argparse.ArgumentParser(
        description="Write the application profile file from the ELiSE ARIS pool.")
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA,
                    help="the pool JSON (default: %(default)s)")
    ap.add_argument("-o", "--output", default=DEFAULT_OUT, help="default: %(default)s")
    ap.add_argument("--measured", help="who measured, where (required unless the pool's "
                    "machine is one of: %s)" % ", ".join(sorted(MEASURED)))
    args = ap.parse_args()
    decimal.getcontext().prec = 34
    try:
        machine, loads = read_pool(args.data)
        root, rel = find_sources(args.data)
        repo, commit, upstream = read_provenance(root, rel)
        measured = args.measured or MEASURED.get(machine)
        if not measured:
            raise DataError("%s: machine %s: say who measured it with --measured"
                            % (args.data, machine))
        text = render(machine, loads, rel.replace(os.sep, "/"), repo, commit, upstream,
                      measured)
        write_atomically(args.output, text)
    except (DataError, OSError, ValueError) as e:
        for line in str(e).splitlines():
            print("gen_npb_model.py: %s" % line, file=sys.stderr)
        return 1
    npairs = sum(len(l["corun"]) for l in loads.values())
    print("gen_npb_model.py: wrote %s: %d apps, %d pairs" % (args.output, len(loads), npairs),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
