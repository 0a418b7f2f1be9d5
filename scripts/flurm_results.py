"""Reading Flurm's outputs and model files from the scripts that tabulate
them (aris_experiments.sh, fidelity.sh): one parser each, no third-party
modules.  The profile and fit files are Flurm's generated YAML, one flow
mapping a line, which is all these regular expressions read."""
import csv
import re
import statistics


def read_profiles(path):
    """(compact median per app, {(app, partner): (median, min, max)})."""
    compact, pair, app = {}, {}, None
    for line in open(path):
        m = re.match(r"^  (\S+):$", line)
        if m:
            app = m.group(1)
            continue
        m = re.match(r"^    compact: \{median: ([0-9.]+),", line)
        if m:
            compact[app] = float(m.group(1))
            continue
        m = re.match(r"^      (\S+): \{median: ([0-9.]+), min: ([0-9.]+), max: ([0-9.]+),", line)
        if m:
            pair[(app, m.group(1))] = tuple(float(x) for x in m.group(2, 3, 4))
    return compact, pair


def read_fit(path):
    """({overall figures}, {app: {figures}}) of a fit file."""
    def flow(text):
        return {k: float(v) for k, v in re.findall(r"(\w+): ([0-9.eE+-]+)", text)}
    overall, apps = {}, {}
    for line in open(path):
        m = re.match(r"^fit: \{(.*)\}$", line)
        if m:
            overall = flow(m.group(1))
        m = re.match(r"^  (\S+): \{(.*)\}$", line)
        if m:
            apps[m.group(1).strip('"')] = flow(m.group(2))
    return overall, apps


def jobs(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def loop_median(rows, app, until):
    """Median run time of app's completed runs that ended by `until` (how
    the ARIS measurements were kept), or NaN."""
    runs = [float(r["execution_time"]) for r in rows
            if r["app"] == app and r["state"] == "completed" and float(r["finish_time"]) <= until]
    return statistics.median(runs) if runs else float("nan")
