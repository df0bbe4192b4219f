#!/usr/bin/env python
# usage: python tools/inference_fold_ab.py tiny|paper BATCH REPS  -- the STTFormer classifier in evaluation: reference, lean without batch-norm folding, lean folded
"Interleaved in one process: reference, lean without folding, lean folded (eval, no_grad), batch norms with running statistics."
import sys, time, statistics, torch
torch.set_num_threads(1)
from skelnb.models.sttformer import use_reference, STTBlock
from _eval_classifier import eval_classifier
preset, bs, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
clf, x = eval_classifier(preset, bs)
folded = STTBlock._folded
def setmode(m):
    use_reference(clf, m == 'reference')
    STTBlock._folded = folded if m == 'folded' else (lambda self, *a: None)
ts = {m: [] for m in ('reference', 'unfolded', 'folded')}
with torch.no_grad():
    for m in ts: setmode(m); clf(x)
    for _ in range(reps):
        for m in ts:
            setmode(m); t = time.perf_counter(); clf(x); ts[m].append(time.perf_counter() - t)
med = {m: statistics.median(v) for m, v in ts.items()}
print(f"{preset} batch {bs}, {reps} interleaved reps, 1 thread: " + ', '.join(f"{m} {v:.3f} s" for m, v in med.items()) +
      f"; reference / unfolded {med['reference'] / med['unfolded']:.2f}x, reference / folded {med['reference'] / med['folded']:.2f}x, unfolded / folded {med['unfolded'] / med['folded']:.2f}x")
