#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Forecast accuracy of a capacity report against the traces it came from.

usage: capacity_accuracy.py TRACES REPORT.json T0 TRAIN_DAYS TEST_DAYS

TRACES is a Bitbrains trace set (a folder, .tar.gz or .tar.xz of N.csv
files); REPORT.json is `ballastctl report capacity --format json` run on
RRD files written from those traces (tests/tools/trace2rrd) with
--end T0+TRAIN_DAYS days, --range TRAIN_DAYS days and --horizon
TEST_DAYS days.  Computes, independently of ballast's code, the cluster's
CPU (MHz) and memory (bytes) per 5-minute slot -- a VM's value in a slot
is its last row there, as in the balancing-quality model -- and their
daily 95th percentiles (nearest rank), days counted from T0.  Prints one
JSON object:

  history_max_rel_diff  the largest relative difference between the
                        report's daily p95 and these, on training days
  mape                  {cpu, mem}: mean absolute percentage error of the
                        report's expected daily p95 over the test days
  covered               {cpu, mem}: every test day at or below the
                        report's upper (conservative) forecast
  references            the same error for four simple forecasts: the
                        last training day, the training mean, the mean
                        of the training days before the last, and the
                        least-squares line through the training days
  actual, expected, upper   the test days' figures
"""
import json
import math
import os
import sys
import tarfile

SLOT = 300
DAY = 86400


def rows(name, text, out):
    """Adds a file's (slot, cpu MHz, mem bytes), last row per slot."""
    last = {}
    for line in text.splitlines()[1:]:
        f = [x.strip() for x in line.split(';')]
        if len(f) < 11:
            continue
        try:
            ts, cpu, mem = int(float(f[0])), float(f[3]), float(f[6])
        except ValueError:
            continue
        if cpu < 0 or mem < 0 or not math.isfinite(cpu + mem):
            continue
        last[ts // SLOT] = (cpu, mem * 1024.0)
    for s, v in last.items():
        c, m = out.get(s, (0.0, 0.0))
        out[s] = (c + v[0], m + v[1])


def load(path):
    out = {}
    if os.path.isdir(path):
        for n in os.listdir(path):
            if n.endswith('.csv'):
                with open(os.path.join(path, n)) as fh:
                    rows(n, fh.read(), out)
        return out
    with tarfile.open(path) as t:
        for m in t:
            if m.isfile() and m.name.endswith('.csv'):
                rows(m.name, t.extractfile(m).read().decode(), out)
    return out


def p95(v):
    v = sorted(v)
    return v[max(0, math.ceil(0.95 * len(v) - 1e-9) - 1)]


def daily(slots, t0, days, k):
    out = []
    for d in range(days):
        lo = (t0 + d * DAY) // SLOT      # slot s ends at (s+1)*SLOT
        v = [slots[s][k] for s in range(lo, lo + DAY // SLOT) if s in slots]
        out.append(p95(v) if len(v) * 2 >= DAY // SLOT else float('nan'))
    return out


def mape(forecast, actual):
    return 100.0 * sum(abs(f - a) / a for f, a in zip(forecast, actual)) / \
        len(actual)


def lsq(y, k):
    n = len(y)
    xb, yb = (n - 1) / 2.0, sum(y) / n
    sxx = sum((i - xb) ** 2 for i in range(n))
    b = sum((i - xb) * (y[i] - yb) for i in range(n)) / sxx
    return [yb + b * (n - 1 + j - xb) for j in range(1, k + 1)]


def main():
    traces, report, t0, train, test = sys.argv[1:6]
    t0, train, test = int(t0), int(train), int(test)
    rep = json.load(open(report))
    slots = load(traces)
    res = {}
    for k, name in enumerate(('cpu', 'mem')):
        days = daily(slots, t0, train + test, k)
        hist, act = days[:train], days[train:]
        c = rep['cluster'][name]
        got = [x for x in c['daily_p95'] if x is not None][-train:]
        diff = max(abs(g - h) / h for g, h in zip(got, hist))
        exp = c['forecast']['expected'][:test]
        up = c['forecast']['upper'][:test]
        res[name] = {
            'diff': diff, 'mape': mape(exp, act),
            'covered': all(a <= u for a, u in zip(act, up)),
            'refs': {
                'last_day': mape([hist[-1]] * test, act),
                'training_mean': mape([sum(hist) / train] * test, act),
                'mean_before_last': mape([sum(hist[:-1]) / (train - 1)] *
                                         test, act),
                'trend_line': mape(lsq(hist, test), act),
            },
            'actual': act, 'expected': exp, 'upper': up,
        }
    print(json.dumps({
        'history_max_rel_diff': max(r['diff'] for r in res.values()),
        'mape': {n: r['mape'] for n, r in res.items()},
        'covered': {n: r['covered'] for n, r in res.items()},
        'references': {ref: {n: r['refs'][ref] for n, r in res.items()}
                       for ref in res['cpu']['refs']},
        'actual': {n: r['actual'] for n, r in res.items()},
        'expected': {n: r['expected'] for n, r in res.items()},
        'upper': {n: r['upper'] for n, r in res.items()},
    }, indent=1))


if __name__ == '__main__':
    main()
