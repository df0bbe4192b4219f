#!/usr/bin/env python
# usage: python tools/seed_select.py OUT.json CACHE_DIR GRID.json [GRID.json ...]   -- rank pre-training seeds by a probe on training clips only
"""Can a user tell a good pre-training draw from a weak one without the test set? For each grid's pre-training (cached in
CACHE_DIR by `tools/pretrain_with_probe.py`), the kNN accuracy (k = 20, cosine) of a class-stratified fifth of the
*training* clips against the other four fifths (`holdout_split`; split seed 0 is the split `keep='probe'` uses), with the
weights the pre-training kept, for split seeds 0-4 and their mean; beside it the pre-training's last validation loss.
Writes OUT.json."""
import json, sys, time
from pathlib import Path
import torch
torch.set_num_threads(1)
from skelnb.core import atomic_write_json
from skelnb.experiments import ExperimentConfig, expand_grid, pretrain_key, experiment_data
from skelnb.training.recipes import load_model, knn_eval, holdout_split

if len(sys.argv) < 4: sys.exit(__doc__)
out, cache, grids = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
rows = []
for g in grids:
    c = ExperimentConfig.from_dict(next(r for r in expand_grid(json.loads(Path(g).read_text())) if not r.scratch and r.pretrain_epochs > 0))
    key = pretrain_key(c)
    ck = cache / key / 'best.pt'
    if not ck.exists(): sys.exit(f"seed_select: {ck} not found; pre-train first: python tools/pretrain_with_probe.py {g} {cache} 10")
    train, _ = experiment_data(c)
    model, _ = load_model(ck)
    t0 = time.time()
    accs = []
    for split_seed in range(5):
        ref, held = holdout_split(train, 0.2, split_seed)
        accs.append(knn_eval(model, ref, held, k=20, frames=c.frames)['knn_acc'])
    rec = json.loads((cache / key / 'pretrain.json').read_text())
    rows.append({'grid': g, 'key': key, 'pretrain_seed': c.pretrain_seed_, 'holdout_knn': accs[0], 'holdout_knn_splits': accs,
                 'holdout_knn_mean': sum(accs) / len(accs), 'reference_clips': len(ref), 'held_out_clips': len(held),
                 'val_loss': rec['metrics']['val_loss'], 'seconds': time.time() - t0})
    print(json.dumps(rows[-1]), flush=True)
atomic_write_json(out, {'what': ' '.join(__doc__.split()), 'command': 'python tools/seed_select.py ' + ' '.join(sys.argv[1:]), 'rows': rows})
