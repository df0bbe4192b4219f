#!/usr/bin/env python
# usage: python tools/demo_probe.py OUT.jsonl NAME '{"setting": value, ...}' [MODEL ...]
"""One variant of the demo's setting, for choosing it: `run_demo` with the demo's full settings changed by a JSON dict,
for the given models only (default: mae), and one JSON line appended to OUT.jsonl (per-model and scratch accuracies)."""
import json, sys, time
import skelnb.demo as demo
from skelnb.core import atomic_write_text
from pathlib import Path

out, name, changes = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
demo.DEMO_MODELS = tuple(sys.argv[4:]) or ('mae',)
s = {**demo.demo_settings(), **changes}
t0 = time.time()
res = demo.run_demo(s, progress=False)
m = res['metrics']
row = dict(name=name, changes=changes, verdict=m['verdict'], scratch_accs=m['scratch_accs'], wall_s=time.time() - t0,
           models={k: {f: v[f] for f in ('finetune_accs', 'knn_acc', 'pretrain_val_loss', 'pretrain_s', 'finetune_s') if f in v}
                   for k, v in m['models'].items()}, settings=m['settings'])
prev = out.read_text() if out.exists() else ''
atomic_write_text(out, prev + json.dumps(row) + '\n')
print(json.dumps(row)[:400])
