#!/usr/bin/env python
# usage: python tools/tta_table.py [RESULTS_DIR]  -- the tables of nbs/results/nwucla_tta/README.md, from its files; writes RESULTS_DIR/facing.json
"Test-time views and the training turn on NW-UCLA: per-run accuracy, the per-view grid, stream ensembles, the facing angles."
import sys
from pathlib import Path
import numpy as np
from skelnb.core import atomic_write_json
from skelnb.experiments import load_results, read_scores, fused_accuracy, view_accuracy
from skelnb.training.recipes import view_average

out = Path(sys.argv[1] if len(sys.argv) > 1 else 'nbs/results/nwucla_tta')

def stream(r): return 'bone' if 'stream=bone' in r['config']['dataset'] else 'joint'
def yaw(r): return float(r['config'].get('finetune_kw', {}).get('yaw', 0.0))
def pm(v): v = 100 * np.asarray(v); return f"{v.mean():.1f} ± {v.std(ddof=1) if len(v) > 1 else 0:.1f}"

runs = load_results(out)
groups = {}
for r in runs: groups.setdefault((-r['config']['labels'], bool(r['config'].get('scratch')), stream(r), yaw(r)), []).append(r)
for g in groups.values(): g.sort(key=lambda r: r['config']['seed'])

print("## Per run (test accuracy, %)\n")
print("| labels | encoder | stream | training turn | seeds | last epoch | best epoch | last epoch, 20 views averaged |")
print("|---|---|---|---|---|---|---|---|")
for (lab, sc0, s, w), g in sorted(groups.items()):
    sc = [read_scores(out, r) for r in g]
    print(f"| {-lab:.0%} | {'scratch' if sc0 else 'pre-trained'} | {s} | ±{w:.3f} rad | {','.join(str(r['config']['seed']) for r in g)} | {pm([r['metrics']['last_acc'] for r in g])} "
          f"| {pm([r['metrics']['val_acc'] for r in g])} | {pm([fused_accuracy([x], 'last_views') for x in sc])} |")

print("\n## Per view, all labels (last epoch, mean over seeds, %): rows are crops, columns the turn about the vertical axis (rad)\n")
for (lab, sc0, s, w), g in sorted(groups.items()):
    if lab != -1.0 or sc0: continue
    va = [view_accuracy(read_scores(out, r)) for r in g]
    acc = {v: np.mean([a[v] for a in va]) for v in va[0]}  # mean over seeds, per (crop, turn)
    crops, yaws = sorted({c for c, _ in acc}, reverse=True), sorted({t for _, t in acc})
    print(f"{s}, training turn ±{w:.3f} rad\n")
    print("| crop | " + " | ".join(f"{y:+.2f}" for y in yaws) + " |")
    print("|---|" + "---|" * len(yaws))
    for c in crops:
        print(f"| {c:.2f} | " + " | ".join(f"{100 * acc[(c, y)]:.1f}" for y in yaws) + " |")
    print()

print("## Joint + bone ensembles (summed softmax, same seed, %)\n")
print("| labels | encoder | training turn | seeds | last epoch | last epoch, 20 views | per seed (last epoch) |")
print("|---|---|---|---|---|---|---|")
for lab, sc0, w in sorted({(lab, sc0, w) for lab, sc0, _, w in groups}):
    j, b = groups.get((lab, sc0, 'joint', w), []), groups.get((lab, sc0, 'bone', w), [])
    seeds = sorted({r['config']['seed'] for r in j} & {r['config']['seed'] for r in b})
    if not seeds: continue
    pairs = [[read_scores(out, next(r for r in g if r['config']['seed'] == s)) for g in (j, b)] for s in seeds]
    last = [fused_accuracy(p, 'last') for p in pairs]
    print(f"| {-lab:.0%} | {'scratch' if sc0 else 'pre-trained'} | ±{w:.3f} rad | {','.join(map(str, seeds))} | {pm(last)} | {pm([fused_accuracy(p, 'last_views') for p in pairs])} "
          f"| {', '.join(f'{100 * a:.1f}' for a in last)} |")

try:
    from skelnb.data.formats import load_nwucla
    d = load_nwucla()
except Exception as e:  # the data are not in this checkout: the last table needs them
    print(f"\n(facing angles skipped: {e})"); sys.exit(0)
L = d.layout
hl, hr = L.index('hip_left'), L.index('hip_right')
first = d.x[:, :, 0, :, 0]  # (N, C, V) first frame, first body
v = first[:, :, hr] - first[:, :, hl]
ang = np.degrees(np.arctan2(v[:, 2], v[:, 0]))
print("\n## Facing: angle of the first frame's left->right hip line in the ground plane (atan2(z, x), degrees)\n")
print("| view | clips | median | interquartile range |")
print("|---|---|---|---|")
facing = {}
for vw in sorted(set(d.view.tolist())):
    a = ang[d.view == vw]
    q1, q2, q3 = np.percentile(a, [25, 50, 75])
    facing[str(vw)] = {'clips': int(len(a)), 'q25': float(q1), 'median': float(q2), 'q75': float(q3)}
    print(f"| {vw}{' (test)' if vw == 3 else ''} | {len(a)} | {q2:+.0f} | {q1:+.0f} to {q3:+.0f} |")
atomic_write_json(out/'facing.json', {'what': "first frame's left->right hip line, atan2(z, x) in degrees, per camera view",
                                      'command': 'python tools/tta_table.py', 'views': facing})
