#!/usr/bin/env python
# usage: python tools/pretrain_with_probe.py GRID.json CACHE_DIR EVERY  -- pre-train the grid's model with a kNN probe every EVERY epochs into the experiment cache
"Pre-train one grid's model with a ProbeCB (kNN every k epochs), writing the experiments' pre-training cache entry."
import json, sys, time
from pathlib import Path
import torch
torch.set_num_threads(1)
from skelnb.core import atomic_write_json
from skelnb.experiments import ExperimentConfig, expand_grid, pretrain_key, experiment_data, experiment_model, _plain, _PRETRAIN_FIELDS
from skelnb.training.recipes import pretrain
from skelnb.analysis import ProbeCB
grid, cache, every = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
runs = [c for c in expand_grid(json.loads(Path(grid).read_text())) if not c.scratch and c.pretrain_epochs > 0]
c = ExperimentConfig.from_dict(runs[0])
train, test = experiment_data(c)
folder = cache/pretrain_key(c)
if (folder/'pretrain.json').exists():  # done before: keep its record (a rerun would resume at the end and overwrite it)
    print(f"{folder/'pretrain.json'} exists: nothing to do"); sys.exit(0)
model = experiment_model(c, train.layout)
probe = ProbeCB(train, test, every=every, k=20, frames=c.frames, bn_batches=8)
t0, c0 = time.time(), time.process_time()
res = pretrain(model, train, test, epochs=c.pretrain_epochs, batch_size=c.batch_size, frames=c.frames, out=folder, resume=True,
               seed=c.pretrain_seed_, progress=False, cbs=[probe], **c.pretrain_kw)
info = {'key': pretrain_key(c), 'metrics': _plain(res.metrics), 'history': _plain(res.history), 'settings': _plain(res.settings),
        'wall_s': time.time() - t0, 'cpu_s': time.process_time() - c0,
        'config': {k: c.to_dict()[k] for k in _PRETRAIN_FIELDS} | {'pretrain_seed': c.pretrain_seed_},
        'probe_curve': [(r['epoch'], r['probe_knn']) for r in res.history if r.get('probe_knn') is not None]}  # resumed epochs included
atomic_write_json(folder/'pretrain.json', info)
print(json.dumps({'key': info['key'], 'probe_curve': probe.curve, 'wall_s': info['wall_s']}))
