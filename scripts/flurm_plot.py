#!/usr/bin/python3
"""flurm_plot.py: the plots of Flurm runs, as PNG and SVG.

    flurm_plot.py gantt RUN -o OUT [--view auto|core|node|job|heat] [--colour auto|app|job|queue]
    flurm_plot.py utilisation RUN -o OUT
    flurm_plot.py waits RUN -o OUT
    flurm_plot.py compare COMPARE -o OUT
    flurm_plot.py sweep MERGED.csv -o OUT [--metric M] [--by AXIS]
    flurm_plot.py all RUN -o DIR [--format png|svg|both]

RUN is a run folder (jobs.csv, and summary.json and config.json when a
simulation wrote it) or a jobs.csv-like file (`flurm-sim import -o FILE.csv`).
COMPARE is a `flurm-sim compare -o DIR` folder or its compare.csv; MERGED.csv
is a sweep's merged table (`run`, one column per axis, summary figures).  OUT
ending in .png or .svg writes that file, any other OUT writes OUT.png and
OUT.svg.  `all` writes the run's plots into DIR with plots.json, the list
`flurm-sim report` embeds: the plots written, those that could not be drawn
and why, and the per-queue figures they show.

Invariants, and why:
- Same input, same bytes: the SVG ids are salted with a constant and no
  date or software version is written into a file, so a run's plots can
  be compared byte for byte and a report rebuilt without a diff.
- Every file appears whole or not at all (written beside, then renamed),
  as the simulator's outputs do.
- Errors are one line, "flurm_plot.py CMD: FILE[:LINE]: what is wrong", exit 1
  (2 for wrong usage): the report passes that line on as it is.
- Times are drawn from the first submission, so a simulation starting at 0
  and a real run in epoch seconds read the same way.
- The figures follow sim/metrics.h: a job "ran" when both its start and its
  finish are known (and the finish is not before the start), bounded
  slowdown uses tau = 10 s, percentiles are nearest-rank and the median of
  an even count is the mean of the middle two, so the "all" row equals
  summary.json (to the three decimals of jobs.csv).
- Only the standard library and matplotlib (with numpy, which it brings),
  as Debian's python3-matplotlib installs them: run it with /usr/bin/python3.
"""

import argparse
import csv
import json
import math
import os
import re
import sys
import tempfile

PROG = "flurm_plot.py"
BSLD_TAU = 10.0
REQUIRED = ("job_id", "submission_time", "starting_time", "finish_time")
# Beyond these a per-core Gantt is a smear: rows of one pixel.  Larger runs
# get one heat-map row per node instead.
CORE_VIEW_MAX_CORES = 640
CORE_VIEW_MAX_NODES = 128
NODE_VIEW_MAX_NODES = 64
HEAT_BINS = 600
LABEL_MAX_JOBS = 200
SVG_SALT = "flurm"
UMASK = os.umask(0o22)
os.umask(UMASK)     # read, not changed: new files get 0666 minus it, as Flurm's outputs do


class PlotError(Exception):
    """Bad input: the message is the whole error line after the command."""


try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch
    import numpy as np
except ImportError as e:
    HAVE_MPL = str(e)
else:
    HAVE_MPL = None
    matplotlib.rcParams["svg.hashsalt"] = SVG_SALT
    matplotlib.rcParams["font.size"] = 9


# ---- reading runs -------------------------------------------------------

def _number(text, path, line, column):
    if text is None or text.strip() == "":
        return None
    try:
        x = float(text)
    except ValueError:
        raise PlotError("%s:%d: column %s: %r is not a number" % (path, line, column, text))
    if not math.isfinite(x):
        raise PlotError("%s:%d: column %s: %r is not a finite number" % (path, line, column, text))
    return x


def parse_idset(text, path, line):
    """'0-4 10-14' (or with commas) -> [(0, 4), (10, 14)], merged and sorted."""
    spans = []
    for tok in re.split(r"[\s,]+", text.strip()):
        if not tok:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", tok)
        if not m:
            raise PlotError("%s:%d: allocated_resources: %r is not a core number or range"
                            % (path, line, tok))
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        if hi < lo:
            raise PlotError("%s:%d: allocated_resources: range %r is backwards" % (path, line, tok))
        spans.append((lo, hi))
    spans.sort()
    merged = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def parse_hostlist(text, path, line):
    """RFC 29 host lists as the simulator and the importers write them:
    'aris[0,8-13]', 'node[001-004]', 'a3,b[1-2]' -> names in order."""
    names = []
    for part in re.findall(r"[^,\[]*(?:\[[^\]]*\])?[^,\[]*", text.strip()):
        if not part:
            continue
        m = re.fullmatch(r"([^\[\]]*)(?:\[([^\]]*)\]([^\[\]]*))?", part)
        if not m:
            raise PlotError("%s:%d: nodes: %r is not a host list" % (path, line, text))
        if m.group(2) is None:
            names.append(part)
            continue
        for r in m.group(2).split(","):
            rm = re.fullmatch(r"(\d+)(?:-(\d+))?", r)
            if not rm:
                raise PlotError("%s:%d: nodes: %r is not a host list" % (path, line, text))
            width = len(rm.group(1))
            lo = int(rm.group(1))
            hi = int(rm.group(2)) if rm.group(2) else lo
            if hi < lo or hi - lo > 1000000:
                raise PlotError("%s:%d: nodes: %r is not a host list" % (path, line, text))
            for i in range(lo, hi + 1):
                names.append("%s%0*d%s" % (m.group(1), width, i, m.group(3)))
    return names


def _host_key(name):
    """Natural order: graphene-2 before graphene-10, node2 before node10."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


class Job:
    __slots__ = ("id", "name", "app", "queue", "state", "submit", "start", "end",
                 "cores", "ncores", "nodes", "index")


class Run:
    """A run's jobs and, when present, its summary.json and config.json."""

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            raise PlotError("%s: cannot open: No such file or directory" % path)
        if os.path.isdir(path):
            self.csv = os.path.join(path, "jobs.csv")
            if not os.path.isfile(self.csv):
                raise PlotError("%s: not a run folder (no jobs.csv)" % path)
            self.summary = _read_json(os.path.join(path, "summary.json"))
            self.config = _read_json(os.path.join(path, "config.json"))
        else:
            self.csv = path
            self.summary = self.config = None
        self.name = (self.summary or {}).get("name") or _stem(path)
        self.jobs = _read_jobs(self.csv)
        if not self.jobs:
            raise PlotError("%s: no jobs" % self.csv)
        self.has_cores = any(j.cores for j in self.jobs)
        self.has_nodes = any(j.nodes for j in self.jobs)
        subs = [j.submit for j in self.jobs if j.submit is not None]
        starts = [j.start for j in self.jobs if j.start is not None]
        self.t0 = min(subs) if subs else (min(starts) if starts else 0.0)
        self.ran = [j for j in self.jobs if ran(j)]


def _stem(path):
    base = os.path.basename(os.path.normpath(path))
    return base[:-4] if base.endswith(".csv") else base


def _read_json(path):
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            v = json.load(f)
    except ValueError as e:
        raise PlotError("%s: not JSON: %s" % (path, e))
    if not isinstance(v, dict):
        raise PlotError("%s: expected a JSON object" % path)
    return v


def _read_jobs(path):
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise PlotError("%s: cannot open: %s" % (path, e.strerror))
    with f:
        try:
            rows = list(csv.reader(f))
        except (csv.Error, UnicodeDecodeError) as e:
            raise PlotError("%s: not a CSV file: %s" % (path, e))
    if not rows:
        raise PlotError("%s: empty file, expected a jobs.csv header" % path)
    header = rows[0]
    col = {name: i for i, name in enumerate(header)}
    for name in REQUIRED:
        if name not in col:
            raise PlotError("%s:1: not a jobs.csv: no column %s" % (path, name))

    def field(row, name):
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else ""

    jobs = []
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise PlotError("%s:%d: %d fields, the header has %d" % (path, line, len(row),
                                                                    len(header)))
        j = Job()
        j.id = field(row, "job_id")
        j.name = field(row, "name") or j.id
        j.app = field(row, "app")
        j.queue = field(row, "queue") or "(none)"
        j.state = field(row, "state")
        j.submit = _number(field(row, "submission_time"), path, line, "submission_time")
        j.start = _number(field(row, "starting_time"), path, line, "starting_time")
        j.end = _number(field(row, "finish_time"), path, line, "finish_time")
        res = field(row, "allocated_resources")
        j.cores = parse_idset(res, path, line) if res.strip() else []
        n = sum(hi - lo + 1 for lo, hi in j.cores)
        if not n:
            for name in ("cores", "requested_number_of_resources"):
                x = _number(field(row, name), path, line, name)
                if x is not None and x >= 0:
                    n = int(x)
                    break
        j.ncores = n
        hl = field(row, "nodes")
        j.nodes = parse_hostlist(hl, path, line) if hl.strip() else []
        j.index = len(jobs)
        jobs.append(j)
    return jobs


def ran(j):
    return j.start is not None and j.end is not None and j.end >= j.start


# ---- the cluster's layout ----------------------------------------------

class Layout:
    """Nodes of `sockets` x `cps` cores; global core c is on node c // cpn.
    `known` is False when neither config.json nor summary.json tells it."""

    def __init__(self, nodes=0, sockets=0, cps=0, prefix="node"):
        self.nodes, self.sockets, self.cps, self.prefix = nodes, sockets, cps, prefix
        self.cpn = sockets * cps
        self.known = nodes > 0 and self.cpn > 0

    def name(self, i):
        return "%s%d" % (self.prefix, i)


def _model_file(run, model):
    """The cluster model a trace names, relative to the trace; tried from
    the working folder and from the repository this script is in."""
    trace = (run.config or {}).get("input") or ""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for base in (os.getcwd(), repo):
        p = os.path.normpath(os.path.join(base, os.path.dirname(trace), model))
        if os.path.isfile(p):
            out = {}
            with open(p, encoding="utf-8") as f:
                for text in f:
                    m = re.match(r"^(nodes|sockets|cores-per-socket|prefix):\s*(\S+)", text)
                    if m:
                        out[m.group(1)] = m.group(2)
            return out
    return {}


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


def layout_of(run):
    cl = (run.config or {}).get("cluster") or {}
    model = _model_file(run, cl["model"]) if isinstance(cl.get("model"), str) else {}
    nodes = _int(cl.get("nodes")) or _int(model.get("nodes"))
    sockets = (_int(cl.get("sockets")) or _int(cl.get("sockets_per_node"))
               or _int(model.get("sockets")))
    cps = _int(cl.get("cores-per-socket")) or _int(model.get("cores-per-socket"))
    cpn = _int(cl.get("cores_per_node"))
    if not cps and cpn:
        sockets = sockets or 1
        cps = cpn // sockets
    total = _int((run.summary or {}).get("cores"))
    if not cps and nodes and total and total % nodes == 0:
        sockets, cps = 1, total // nodes   # sockets unknown: drawn as one
    prefix = cl.get("prefix") or model.get("prefix")
    if not prefix:
        first = next((j.nodes[0] for j in run.jobs if j.nodes), "node")
        prefix = re.match(r"\D*", first).group(0) or "node"
    lay = Layout(nodes, sockets, cps, str(prefix))
    top = max((hi for j in run.jobs for _, hi in j.cores), default=-1)
    if lay.known and top >= lay.nodes * lay.cpn:
        lay.known = False   # the allocations do not fit what config.json says
    return lay


# ---- statistics (as sim/metrics.c computes them) ------------------------

def distribution(values):
    v = sorted(values)
    n = len(v)
    if not n:
        return {"mean": None, "median": None, "p95": None, "max": None}
    median = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    rank = math.ceil(0.95 * n)
    return {"mean": sum(v) / n, "median": median, "p95": v[rank - 1 if rank else 0],
            "max": v[-1]}


def wait_of(j):
    return j.start - j.submit if j.submit is not None else None


def bsld_of(j):
    if j.submit is None:
        return None
    run = j.end - j.start
    return max(1.0, (j.end - j.submit) / max(run, BSLD_TAU))


def queue_table(run):
    """Per queue (and 'all' first when there are several): jobs, jobs that
    ran, wait and bounded-slowdown distributions."""
    queues = sorted({j.queue for j in run.jobs})
    groups = ([("all", run.jobs)] if len(queues) > 1 else []) + \
        [(q, [j for j in run.jobs if j.queue == q]) for q in queues]
    rows = []
    for q, jobs in groups:
        r = [j for j in jobs if ran(j)]
        rows.append({"queue": q, "jobs": len(jobs), "ran": len(r),
                     "wait": distribution([w for w in map(wait_of, r) if w is not None]),
                     "bsld": distribution([b for b in map(bsld_of, r) if b is not None])})
    return rows


def capacity(run, lay):
    total = _int((run.summary or {}).get("cores"))
    return total or (lay.nodes * lay.cpn if lay.known else 0)


def overall(run, lay):
    """The figures the report's comparison table shows, for any run."""
    r = run.ran
    states = {}
    for j in run.jobs:
        states[j.state or "(none)"] = states.get(j.state or "(none)", 0) + 1
    subs = [j.submit for j in r if j.submit is not None]
    makespan = max(j.end for j in r) - min(subs) if r and subs else None
    cap = capacity(run, lay)
    core_s = sum((j.end - j.start) * j.ncores for j in r)
    util = core_s / (cap * makespan) if cap and makespan else None
    return {"jobs": len(run.jobs), "ran": len(r), "states": dict(sorted(states.items())),
            "makespan": makespan, "cores": cap or None, "utilisation": util,
            "wait": distribution([w for w in map(wait_of, r) if w is not None]),
            "bsld": distribution([b for b in map(bsld_of, r) if b is not None])}


# ---- drawing helpers ----------------------------------------------------

def time_unit(span):
    """Seconds for short runs, hours or days for long ones: the axis label
    always says which."""
    if span <= 2 * 3600:
        return 1.0, "s"
    if span <= 4 * 86400:
        return 3600.0, "h"
    return 86400.0, "days"


def time_label(unit):
    return "time since first submission (%s)" % unit


def palette(n):
    """n colours that neighbours tell apart: tab10 when it is enough, else
    tab20 with its dark shades first (its pairs are light and dark of one
    hue, which side by side read as one)."""
    if n <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(10)]
    cmap = plt.get_cmap("tab20")
    return [cmap(i) for i in list(range(0, 20, 2)) + list(range(1, 20, 2))]


def colours(run, how):
    """A colour per job: by app when the run names few apps (co-located
    apps then read apart at a glance), else by job or by queue."""
    apps = sorted({j.app for j in run.jobs if j.app})
    if how == "auto":
        how = "app" if apps and len(apps) <= 20 else "job"
    if how == "job":
        pal = palette(20)
        return {j.index: pal[j.index % 20] for j in run.jobs}, None
    key = (lambda j: j.app or "(none)") if how == "app" else (lambda j: j.queue)
    values = sorted({key(j) for j in run.jobs})
    pal = palette(len(values))
    table = {v: pal[i % len(pal)] for i, v in enumerate(values)}
    legend = [Patch(facecolor=table[v], edgecolor="black", linewidth=0.3, label=v)
              for v in values] if len(values) <= 20 else None
    return {j.index: table[key(j)] for j in run.jobs}, legend


def run_end(run):
    ends = [j.end for j in run.jobs if j.end is not None]
    starts = [j.start for j in run.jobs if j.start is not None]
    return max(ends + starts) if ends or starts else run.t0


def intervals(run):
    """(job, start, end, open) for every job that started: a job with no
    finish (still running when listed) is drawn to the end, marked open."""
    last = run_end(run)
    out = []
    for j in run.jobs:
        if j.start is None or (j.end is not None and j.end < j.start):
            continue
        out.append((j, j.start, j.end if j.end is not None else last, j.end is None))
    return out


def save(fig, out, formats):
    """Write fig to OUT.png / OUT.svg atomically; return the files written."""
    written = []
    for fmt in formats:
        path = out if out.endswith("." + fmt) else out + "." + fmt
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            raise PlotError("%s: no such folder" % folder)
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=folder)
        try:
            os.fchmod(fd, 0o666 & ~UMASK)
            with os.fdopen(fd, "wb") as f:
                meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
                fig.savefig(f, format=fmt, dpi=110, metadata=meta)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        written.append(path)
    plt.close(fig)
    return written


def output_formats(out, fmt="both"):
    for ext in ("png", "svg"):
        if out.endswith("." + ext):
            return [ext]
    return ["png", "svg"] if fmt == "both" else [fmt]


# ---- gantt --------------------------------------------------------------

def pick_view(run, lay, view):
    if view != "auto":
        return view
    if run.has_cores and lay.known:
        if lay.nodes * lay.cpn <= CORE_VIEW_MAX_CORES and lay.nodes <= CORE_VIEW_MAX_NODES:
            return "core"
        return "heat"
    if run.has_nodes:
        nodes = {n for j in run.jobs for n in j.nodes}
        return "node" if len(nodes) <= NODE_VIEW_MAX_NODES else "heat"
    return "job"


def node_rows(run, lay):
    """Node index and cores held there, per job: from the core numbers when
    the layout is known, else from the host list (cores split evenly)."""
    if run.has_cores and lay.known:
        names = [lay.name(i) for i in range(lay.nodes)]
        held = {}
        for j in run.jobs:
            d = {}
            for lo, hi in j.cores:
                for n in range(lo // lay.cpn, hi // lay.cpn + 1):
                    a, b = max(lo, n * lay.cpn), min(hi, (n + 1) * lay.cpn - 1)
                    d[n] = d.get(n, 0) + b - a + 1
            held[j.index] = d
        return names, held, lay.cpn
    names = sorted({n for j in run.jobs for n in j.nodes}, key=_host_key)
    where = {n: i for i, n in enumerate(names)}
    held = {j.index: {where[n]: (j.ncores / len(j.nodes) if j.ncores else 1) for n in j.nodes}
            for j in run.jobs if j.nodes}
    return names, held, 0


def _node_ticks(ax, names, centre, height):
    step = max(1, math.ceil(len(names) / 40))
    ticks = list(range(0, len(names), step))
    ax.set_yticks([centre(i) for i in ticks])
    ax.set_yticklabels([names[i] for i in ticks], fontsize=7 if len(names) > 16 else 8)
    ax.set_ylim(height, 0)


def _draw_boxes(ax, boxes):
    """(corners, colour, open) boxes as one collection (thousands of jobs
    stay fast); jobs with no finish yet are hatched over."""
    ax.add_collection(PolyCollection([b for b, _, _ in boxes], facecolors=[c for _, c, _ in boxes],
                                     edgecolors="black", linewidths=0.3))
    still = [b for b, _, is_open in boxes if is_open]
    if still:
        ax.add_collection(PolyCollection(still, facecolors="none", edgecolors="black",
                                         linewidths=0, hatch="//"))


def _label(ax, x0, x1, y0, y1, text, span, rows):
    if (x1 - x0) >= 0.04 * span and (y1 - y0) >= 0.025 * rows:
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, text, ha="center", va="center", fontsize=6,
                clip_on=True)


def gantt_core(ax, run, lay, col, scale, span):
    rows = lay.nodes * lay.cpn
    boxes = []
    spans = intervals(run)
    for j, s, e, is_open in spans:
        x0, x1 = (s - run.t0) / scale, (e - run.t0) / scale
        big = None
        for lo, hi in j.cores:
            boxes.append(([(x0, lo), (x1, lo), (x1, hi + 1), (x0, hi + 1)], col[j.index],
                          is_open))
            if big is None or hi - lo > big[1] - big[0]:
                big = (lo, hi)
        if big and len(spans) <= LABEL_MAX_JOBS:
            _label(ax, x0, x1, big[0], big[1] + 1, j.name, span / scale, rows)
    _draw_boxes(ax, boxes)
    # Node lines between single-core nodes would hide the jobs: drawn only
    # where a node is a band of several rows, or few enough to tell apart.
    for n in range(lay.nodes + 1 if lay.cpn > 1 or lay.nodes <= 32 else 0):
        ax.axhline(n * lay.cpn, color="black", linewidth=0.6)
        if n < lay.nodes:
            for s in range(1, lay.sockets):
                ax.axhline(n * lay.cpn + s * lay.cps, color="dimgrey", linewidth=0.6,
                           linestyle="--")
    _node_ticks(ax, [lay.name(i) for i in range(lay.nodes)],
                lambda i: (i + 0.5) * lay.cpn, rows)
    socket = "%d sockets x %d cores" % (lay.sockets, lay.cps) if lay.sockets > 1 else \
        "%d cores" % lay.cpn
    ax.set_ylabel("cores, by node (%s; socket boundaries dashed)" % socket
                  if lay.sockets > 1 else "cores, by node (%s)" % socket)
    return "by node and socket" if lay.sockets > 1 else "by node"


def gantt_node(ax, run, lay, col, scale):
    """One row per node; jobs that share a node at the same time get a lane
    each, so co-location shows as a row split in two."""
    names, held, _ = node_rows(run, lay)
    per_node = {}
    for j, s, e, is_open in intervals(run):
        for n in held.get(j.index, {}):
            per_node.setdefault(n, []).append((s, e, j, is_open))
    boxes = []
    for n, items in sorted(per_node.items()):
        items.sort(key=lambda t: (t[0], t[2].index))
        lane_end, lane = [], []
        for s, e, j, _ in items:
            k = next((i for i, t in enumerate(lane_end) if t <= s), None)
            if k is None:
                lane_end.append(e)
                k = len(lane_end) - 1
            else:
                lane_end[k] = e
            lane.append(k)
        h = 1.0 / len(lane_end)
        for (s, e, j, is_open), k in zip(items, lane):
            x0, x1 = (s - run.t0) / scale, (e - run.t0) / scale
            y0, y1 = n + k * h, n + (k + 1) * h
            boxes.append(([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], col[j.index], is_open))
    _draw_boxes(ax, boxes)
    for n in range(len(names) + 1):
        ax.axhline(n, color="black", linewidth=0.4)
    _node_ticks(ax, names, lambda i: i + 0.5, len(names))
    ax.set_ylabel("nodes (jobs sharing a node split its row)")
    return "by node" if run.has_cores else "by node (no core allocation recorded)"


def gantt_job(ax, run, col, scale):
    """No node is known (NPB logs, Batsim workloads): one row per job, its
    wait in grey before it."""
    items = sorted(intervals(run), key=lambda t: (t[1], t[0].index))
    for row, (j, s, e, is_open) in enumerate(items):
        if j.submit is not None and j.submit < s:
            ax.broken_barh([((j.submit - run.t0) / scale, (s - j.submit) / scale)], (row, 0.8),
                           facecolors="#dddddd")
        ax.broken_barh([((s - run.t0) / scale, (e - s) / scale)], (row, 0.8),
                       facecolors=[col[j.index]], edgecolors="black", linewidths=0.3,
                       hatch="//" if is_open else None)
    step = max(1, math.ceil(len(items) / 40))
    ax.set_yticks([i + 0.4 for i in range(0, len(items), step)])
    ax.set_yticklabels([items[i][0].name for i in range(0, len(items), step)], fontsize=7)
    ax.set_ylim(len(items), 0)
    ax.set_ylabel("jobs, by start (wait in grey)")
    return "by job (no node allocation recorded)"


def occupancy(run, nnodes, held, edges):
    """Two node x bin matrices: cores held and jobs present, time-averaged
    over each bin.  Exact: each job adds its integral over every bin."""
    cores = np.zeros((nnodes, len(edges) - 1))
    jobs = np.zeros_like(cores)
    width = edges[1] - edges[0]
    for j, s, e, _ in intervals(run):
        s, e = s - run.t0, e - run.t0
        if e <= s:
            continue
        i0 = min(int(s / width), len(edges) - 2)
        i1 = min(int(e / width), len(edges) - 2)
        frac = np.zeros(len(edges) - 1)
        if i0 == i1:
            frac[i0] = e - s
        else:
            frac[i0] = edges[i0 + 1] - s
            frac[i0 + 1:i1] = width
            frac[i1] = e - edges[i1]
        frac /= width
        for n, c in held.get(j.index, {}).items():
            cores[n] += c * frac
            jobs[n] += frac
    return cores, jobs


def gantt_heat(fig, run, lay, scale, span):
    names, held, cpn = node_rows(run, lay)
    edges = np.linspace(0.0, span if span > 0 else 1.0, HEAT_BINS + 1)
    cores, jobs = occupancy(run, len(names), held, edges)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    extent = (0, edges[-1] / scale, len(names), 0)
    top = cpn or max(1.0, float(cores.max()))
    im1 = ax1.imshow(cores, aspect="auto", interpolation="nearest", cmap="viridis",
                     extent=extent, vmin=0, vmax=top)
    fig.colorbar(im1, ax=ax1, label="cores held (mean over bin, cores)")
    jmax = max(2.0, float(np.ceil(jobs.max())))
    im2 = ax2.imshow(jobs, aspect="auto", interpolation="nearest", cmap="magma_r",
                     extent=extent, vmin=0, vmax=jmax)
    fig.colorbar(im2, ax=ax2, label="jobs on the node (mean over bin)")
    for ax in (ax1, ax2):
        _node_ticks(ax, names, lambda i: i + 0.5, len(names))
        ax.set_ylabel("nodes")
    ax1.set_title("cores held per node", fontsize=10)
    ax2.set_title("co-location: jobs sharing each node (above 1 = shared)", fontsize=10)
    ax2.set_xlabel(time_label(time_unit(span)[1]))
    return "by node, %d nodes (heat map)" % len(names)


def plot_gantt(run, out, formats, view="auto", colour="auto"):
    if not intervals(run):
        raise PlotError("%s: no job has started: no schedule to draw" % run.csv)
    lay = layout_of(run)
    view = pick_view(run, lay, view)
    if view == "core" and not (run.has_cores and lay.known):
        raise PlotError("%s: --view core needs allocated_resources and the cluster layout "
                        "(config.json)" % run.path)
    if view in ("node", "heat") and not run.has_nodes and not (run.has_cores and lay.known):
        raise PlotError("%s: --view %s needs a nodes column or allocated_resources with "
                        "config.json" % (run.path, view))
    span = run_end(run) - run.t0
    scale, unit = time_unit(span)
    col, legend = colours(run, colour)
    if view == "heat":
        names = node_rows(run, lay)[0]
        fig = plt.figure(figsize=(12, max(6.0, min(16.0, 4 + len(names) * 0.04))),
                         layout="constrained")
        what = gantt_heat(fig, run, lay, scale, span)
        fig.suptitle("%s: schedule %s" % (run.name, what))
        return save(fig, out, formats)
    if view == "core":
        height = 2.5 + 0.03 * lay.nodes * lay.cpn
    elif view == "node":
        height = 2.5 + 0.3 * len(node_rows(run, lay)[0])
    else:
        height = 2.5 + 0.15 * len(intervals(run))
    fig = plt.figure(figsize=(12, max(4.0, min(16.0, height))), layout="constrained")
    ax = fig.subplots()
    if view == "core":
        what = gantt_core(ax, run, lay, col, scale, span)
    elif view == "node":
        what = gantt_node(ax, run, lay, col, scale)
    else:
        what = gantt_job(ax, run, col, scale)
    ax.set_xlim(0, max(span, 1e-9) / scale)
    ax.set_xlabel(time_label(unit))
    still = sum(1 for t in intervals(run) if t[3])
    ax.set_title("%s: schedule %s, %d jobs%s" % (
        run.name, what, len(run.ran), ", %d with no finish (hatched)" % still if still else ""))
    if legend:
        ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.005, 1), fontsize=7,
                  title="app" if colour in ("auto", "app") else colour, title_fontsize=7)
    return save(fig, out, formats)


# ---- utilisation --------------------------------------------------------

def _steps(events):
    """Sorted (time, delta) -> times and the running total after each."""
    events.sort()
    t, v, total = [], [], 0.0
    for time, d in events:
        total += d
        if t and t[-1] == time:
            v[-1] = total
        else:
            t.append(time)
            v.append(total)
    return t, v


def plot_utilisation(run, out, formats):
    if not run.ran:
        raise PlotError("%s: no job ran: no utilisation to draw" % run.csv)
    if not any(j.ncores for j in run.ran):
        raise PlotError("%s: no job records the cores it held: no utilisation to draw" % run.csv)
    lay = layout_of(run)
    span = run_end(run) - run.t0
    scale, unit = time_unit(span)
    queues = sorted({j.queue for j in run.ran})
    ev = sorted({(j.start - run.t0) for j in run.ran} | {(j.end - run.t0) for j in run.ran})
    times = np.array([0.0] + ev)
    stack = []
    for q in queues:
        t, v = _steps([(j.start - run.t0, j.ncores) for j in run.ran if j.queue == q]
                      + [(j.end - run.t0, -j.ncores) for j in run.ran if j.queue == q])
        idx = np.searchsorted(np.array(t), times, side="right") - 1
        stack.append(np.where(idx >= 0, np.array(v + [0.0])[idx], 0.0))
    has_nodes = run.has_nodes or (run.has_cores and lay.known)
    fig = plt.figure(figsize=(12, 6.5 if has_nodes else 4), layout="constrained")
    axes = fig.subplots(2 if has_nodes else 1, 1, sharex=True, squeeze=False)[:, 0]
    ax = axes[0]
    cmap = plt.get_cmap("tab10")
    lower = np.zeros_like(times)
    for i, (q, v) in enumerate(zip(queues, stack)):
        ax.fill_between(times / scale, lower, lower + v, step="post", color=cmap(i % 10),
                        alpha=0.85, linewidth=0, label=q)
        lower = lower + v
    ax.step(times / scale, lower, where="post", color="black", linewidth=0.6)
    cap = capacity(run, lay)
    o = overall(run, lay)
    title = "%s: allocated cores" % run.name
    if cap:
        ax.axhline(cap, color="red", linestyle="--", linewidth=0.8, label="%d cores" % cap)
        if o["utilisation"] is not None:
            title += " (mean %.1f %% of %d cores over the makespan)" % (100 * o["utilisation"],
                                                                         cap)
    ax.set_ylabel("allocated cores (cores)")
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1), fontsize=7, title="queue",
              title_fontsize=7)
    if has_nodes:
        names, held, _ = node_rows(run, lay)
        count = [0] * len(names)
        nev = []
        for j in run.ran:
            for n in held.get(j.index, {}):
                nev.append((j.start - run.t0, 1, n))
                nev.append((j.end - run.t0, 0, n))
        nev.sort()      # at equal times ends (0) before starts (1): a node handed on stays busy
        t, v, busy = [0.0], [0.0], 0
        for time, start, n in nev:
            if start:
                count[n] += 1
                busy += count[n] == 1
            else:
                count[n] -= 1
                busy -= count[n] == 0
            if t[-1] == time:
                v[-1] = busy
            else:
                t.append(time)
                v.append(busy)
        axes[1].step(np.array(t) / scale, v, where="post", color="black", linewidth=0.8)
        axes[1].fill_between(np.array(t) / scale, 0, v, step="post", color="#4c72b0", alpha=0.5)
        total = lay.nodes if (run.has_cores and lay.known) else len(names)
        axes[1].axhline(total, color="red", linestyle="--", linewidth=0.8,
                        label="%d nodes" % total)
        axes[1].set_ylabel("busy nodes (nodes)")
        axes[1].set_title("nodes with at least one job")
        axes[1].set_ylim(bottom=0)
        axes[1].legend(loc="upper left", bbox_to_anchor=(1.005, 1), fontsize=7)
    axes[-1].set_xlabel(time_label(unit))
    axes[-1].set_xlim(0, max(span, 1e-9) / scale)
    return save(fig, out, formats)


# ---- waits --------------------------------------------------------------

def plot_waits(run, out, formats):
    r = [j for j in run.ran if j.submit is not None]
    if not r:
        raise PlotError("%s: no job has a submission, start and finish time: no waits to draw"
                        % run.csv)
    queues = sorted({j.queue for j in r})
    groups = ([("all", r)] if len(queues) > 1 else []) + \
        [(q, [j for j in r if j.queue == q]) for q in queues]
    labels = ["%s\n(%d jobs)" % (q, len(js)) for q, js in groups]
    fig = plt.figure(figsize=(max(8.0, 2.2 * len(groups) + 4), 4.5), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    waits = [[wait_of(j) for j in js] for _, js in groups]
    bslds = [[bsld_of(j) for j in js] for _, js in groups]
    box = dict(showmeans=True, meanprops=dict(marker="^", markerfacecolor="white",
                                              markeredgecolor="black", markersize=5),
               flierprops=dict(marker=".", markersize=3), medianprops=dict(color="black"))
    ax1.boxplot(waits, labels=labels, **box)
    ax1.set_ylabel("wait time (s)")
    ax1.set_title("wait time per queue")
    top = max(max(w) for w in waits)
    if top > 0:
        q3 = sorted(w for ws in waits for w in ws)[int(0.75 * sum(map(len, waits)))]
        if top > 50 * max(q3, 1.0):
            ax1.set_yscale("symlog", linthresh=1.0)
            ax1.set_ylabel("wait time (s, logarithmic above 1 s)")
    ax2.boxplot(bslds, labels=labels, **box)
    ax2.set_ylabel("bounded slowdown (ratio, tau = %g s)" % BSLD_TAU)
    ax2.set_title("bounded slowdown per queue")
    if max(max(b) for b in bslds) > 20:
        ax2.set_yscale("log")
    fig.suptitle("%s: %d jobs that ran (triangle = mean, line = median)" % (run.name, len(r)))
    return save(fig, out, formats)


# ---- compare ------------------------------------------------------------

def plot_compare(path, out, formats):
    if not os.path.exists(path):
        raise PlotError("%s: cannot open: No such file or directory" % path)
    csv_path = os.path.join(path, "compare.csv") if os.path.isdir(path) else path
    if not os.path.isfile(csv_path):
        raise PlotError("%s: not a compare result (no compare.csv)" % path)
    meta = _read_json(os.path.join(os.path.dirname(csv_path), "compare.json"))
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for name in ("app", "runtime_a", "runtime_b"):
        if not rows or name not in rows[0]:
            raise PlotError("%s:1: not a compare.csv: no column %s" % (csv_path, name))
    pts = {}
    for line, row in enumerate(rows, start=2):
        a = _number(row["runtime_a"], csv_path, line, "runtime_a")
        b = _number(row["runtime_b"], csv_path, line, "runtime_b")
        if a is not None and b is not None:
            pts.setdefault(row["app"] or "(none)", []).append((b, a))
    if not pts:
        raise PlotError("%s: no pair has both runtimes: nothing to draw" % csv_path)
    name_a = (meta or {}).get("a", "A")
    name_b = (meta or {}).get("b", "B")
    fig = plt.figure(figsize=(7, 6.2), layout="constrained")
    ax = fig.subplots()
    cmap = plt.get_cmap("tab10")
    everything = [v for p in pts.values() for xy in p for v in xy]
    lo, hi = min(everything), max(everything)
    logscale = lo > 0 and hi / lo > 100
    for i, (app, p) in enumerate(sorted(pts.items())):
        ax.scatter([x for x, _ in p], [y for _, y in p], s=22, color=cmap(i % 10),
                   edgecolors="black", linewidths=0.4, label="%s (%d)" % (app, len(p)), zorder=3)
    pad = (hi - lo) * 0.08 or max(hi, 1.0) * 0.1
    a, b = (lo / 1.5, hi * 1.5) if logscale else (max(0.0, lo - pad), hi + pad)
    line = np.linspace(a, b, 200)
    ax.plot(line, line, color="black", linewidth=0.9, label="y = x")
    ax.fill_between(line, line * 0.9, line * 1.1, color="grey", alpha=0.15, label="within 10 %")
    if logscale:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlim(a, b)
    ax.set_ylim(a, b)
    ax.set_aspect("equal")
    ax.set_xlabel("measured runtime, %s (s)" % name_b)
    ax.set_ylabel("simulated runtime, %s (s)" % name_a)
    errs = [abs(y - x) / x for p in pts.values() for x, y in p if x > 0]
    ax.set_title("runtimes of %d paired jobs%s" % (sum(map(len, pts.values())),
                 ", MAPE %.1f %%" % (100 * sum(errs) / len(errs)) if errs else ""))
    ax.legend(fontsize=7, loc="upper left")
    return save(fig, out, formats)


# ---- sweep --------------------------------------------------------------

def metric_unit(name):
    n = name.lower()
    if n.startswith("bsld") or "slowdown" in n:
        return "ratio"
    if "util" in n:
        return "fraction of core-time"
    if n.startswith(("makespan", "wait", "turnaround")) or n.endswith(("_s", "time")):
        return "s"
    if "hours" in n:
        return "h"
    if "per_hour" in n or "throughput" in n:
        return "jobs/h"
    return None


def plot_sweep(path, out, formats, metric, by):
    if not os.path.isfile(path):
        raise PlotError("%s: cannot open: No such file or directory" % path
                        if not os.path.exists(path) else "%s: not a file" % path)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise PlotError("%s: no configurations" % path)
    cols = list(rows[0].keys())
    if "run" not in cols:
        raise PlotError("%s:1: not a sweep table: no column run" % path)

    def numeric(c):
        try:
            for r in rows:
                if r[c] not in ("", None):
                    float(r[c])
        except (TypeError, ValueError):
            return False
        return True

    numbers = [c for c in cols if c != "run" and numeric(c)
               and any(r[c] != "" for r in rows)]
    if metric is None:
        metric = next((m for m in ("bsld_mean", "wait_mean", "makespan") if m in numbers), None)
        if metric is None:
            raise PlotError("%s: name the figure to draw with --metric (numeric columns: %s)"
                            % (path, ", ".join(numbers) or "none"))
    if metric not in cols:
        raise PlotError("%s:1: no column %s (numeric columns: %s)"
                        % (path, metric, ", ".join(numbers) or "none"))
    if metric not in numbers:
        raise PlotError("%s: column %s is not numeric" % (path, metric))
    if by is not None and by not in cols:
        raise PlotError("%s:1: no column %s to colour by" % (path, by))
    data = [(r["run"], float(r[metric]), r[by] if by else "") for r in rows if r[metric] != ""]
    fig = plt.figure(figsize=(10, max(3.5, 1.2 + 0.28 * len(data))), layout="constrained")
    ax = fig.subplots()
    groups = sorted({g for _, _, g in data})
    cmap = plt.get_cmap("tab10")
    colour = {g: cmap(i % 10) for i, g in enumerate(groups)}
    y = np.arange(len(data))
    ax.barh(y, [v for _, v, _ in data], color=[colour[g] for _, _, g in data],
            edgecolor="black", linewidth=0.4)
    for i, (_, v, _) in enumerate(data):
        ax.text(v, i, " %.4g" % v, va="center", fontsize=7)
    ax.set_yticks(y)
    ax.set_yticklabels([r for r, _, _ in data], fontsize=7 if len(data) > 30 else 8)
    ax.set_ylim(len(data) - 0.5, -0.5)
    unit = metric_unit(metric)
    ax.set_xlabel("%s (%s)" % (metric, unit) if unit else metric)
    ax.set_ylabel("configuration (run)")
    ax.margins(x=0.12)
    missing = len(rows) - len(data)
    ax.set_title("%s per configuration, %d runs%s" % (
        metric, len(data), " (%d without a value)" % missing if missing else ""))
    if by:
        ax.legend(handles=[Patch(facecolor=colour[g], label=g or "(empty)") for g in groups],
                  title=by, fontsize=7, title_fontsize=7, loc="upper left",
                  bbox_to_anchor=(1.005, 1))
    return save(fig, out, formats)


# ---- all ----------------------------------------------------------------

PLOTS = (
    ("gantt", "Schedule: each job on the cores (or nodes) it held", plot_gantt),
    ("utilisation", "Allocated cores and busy nodes over time", plot_utilisation),
    ("waits", "Wait time and bounded slowdown per queue", plot_waits),
)


def plot_all(path, folder, fmt):
    run = Run(path)
    if not os.path.isdir(folder):
        try:
            os.makedirs(folder)
        except OSError as e:
            raise PlotError("%s: cannot create: %s" % (folder, e.strerror))
    lay = layout_of(run)
    plots, skipped = [], []
    for name, caption, draw in PLOTS:
        try:
            files = draw(run, os.path.join(folder, name), ["png", "svg"] if fmt == "both"
                         else [fmt])
        except PlotError as e:
            skipped.append({"plot": name, "why": str(e)})
            continue
        plots.append({"plot": name, "caption": caption,
                      "files": [os.path.basename(f) for f in files]})
    manifest = {"run": run.name, "plots": plots, "skipped": skipped,
                "overall": overall(run, lay), "queues": queue_table(run)}
    text = json.dumps(manifest, indent=2, allow_nan=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".plots.json.", dir=folder)
    os.fchmod(fd, 0o666 & ~UMASK)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, os.path.join(folder, "plots.json"))
    return [os.path.join(folder, f) for p in plots for f in p["files"]]


# ---- command line -------------------------------------------------------

class Parser(argparse.ArgumentParser):
    """argparse, with its complaints on one line like every Flurm error."""

    def error(self, message):
        sys.stderr.write("%s: %s (try '%s --help')\n" % (self.prog, message, PROG))
        sys.exit(2)


def main(argv):
    p = Parser(prog=PROG, description="Plots of Flurm runs (PNG and SVG).")
    sub = p.add_subparsers(dest="cmd", metavar="CMD", parser_class=Parser)
    sub.required = True
    out_help = "OUT.png, OUT.svg, or OUT for both"
    g = sub.add_parser("gantt", help="the schedule by node and socket")
    g.add_argument("run", metavar="RUN")
    g.add_argument("-o", "--output", required=True, metavar="OUT", help=out_help)
    g.add_argument("--view", choices=("auto", "core", "node", "job", "heat"), default="auto",
                   help="rows per core (by node and socket), per node, per job, or a heat map")
    g.add_argument("--colour", choices=("auto", "app", "job", "queue"), default="auto")
    for name, what in (("utilisation", "allocated cores and busy nodes over time"),
                       ("waits", "wait and bounded slowdown per queue")):
        s = sub.add_parser(name, help=what)
        s.add_argument("run", metavar="RUN")
        s.add_argument("-o", "--output", required=True, metavar="OUT", help=out_help)
    c = sub.add_parser("compare", help="simulated vs measured runtimes of a compare result")
    c.add_argument("run", metavar="COMPARE")
    c.add_argument("-o", "--output", required=True, metavar="OUT", help=out_help)
    s = sub.add_parser("sweep", help="a figure per configuration of a sweep's merged table")
    s.add_argument("run", metavar="MERGED_CSV")
    s.add_argument("-o", "--output", required=True, metavar="OUT", help=out_help)
    s.add_argument("--metric", help="numeric column to draw (default bsld_mean, wait_mean "
                   "or makespan, the first present)")
    s.add_argument("--by", metavar="AXIS", help="colour the bars by this column")
    a = sub.add_parser("all", help="gantt, utilisation and waits of a run, and plots.json")
    a.add_argument("run", metavar="RUN")
    a.add_argument("-o", "--output", required=True, metavar="DIR")
    a.add_argument("--format", choices=("png", "svg", "both"), default="both")
    args = p.parse_args(argv)
    if HAVE_MPL:
        sys.stderr.write("%s %s: matplotlib is missing (%s): install python3-matplotlib and "
                         "run with /usr/bin/python3\n" % (PROG, args.cmd, HAVE_MPL))
        return 1
    out = args.output
    try:
        if args.cmd == "all":
            plot_all(args.run, out, args.format)
        elif args.cmd == "compare":
            plot_compare(args.run, out, output_formats(out))
        elif args.cmd == "sweep":
            plot_sweep(args.run, out, output_formats(out), args.metric, args.by)
        elif args.cmd == "gantt":
            plot_gantt(Run(args.run), out, output_formats(out), args.view, args.colour)
        elif args.cmd == "utilisation":
            plot_utilisation(Run(args.run), out, output_formats(out))
        else:
            plot_waits(Run(args.run), out, output_formats(out))
    except PlotError as e:
        sys.stderr.write("%s %s: %s\n" % (PROG, args.cmd, e))
        return 1
    except OSError as e:
        sys.stderr.write("%s %s: %s: %s\n" % (PROG, args.cmd, e.filename or out, e.strerror))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
