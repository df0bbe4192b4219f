#!/usr/bin/env python
# usage: python tools/precise_bn_check.py  -- the motion stream's pre-training checkpoints: validation loss with their stored batch-norm statistics and after precise BN over 4, 16 and 32 training batches
"""Why the last validation of nwucla_motion's pre-training jumped (0.0013 -> 0.046): the batch-norm statistics last.pt stores,
against statistics recomputed over more training batches. Needs runs/cache/06967094d3a7 (the pre-training of
nbs/results/nwucla_motion/grid_motion.json)."""
import json, torch
torch.set_num_threads(1)
from skelnb.experiments import ExperimentConfig, expand_grid, experiment_data
from skelnb.training.recipes import load_model, recipe_loaders, mae_step
from skelnb.models.ops import bn_layers, precise_bn
c = ExperimentConfig.from_dict([r for r in expand_grid(json.load(open('nbs/results/nwucla_motion/grid_motion.json'))) if not r.scratch][0])
train, test = experiment_data(c)
tdl, vdl = recipe_loaders(train, test, 32, 32, 0, 0)
def vloss(m):
    m.eval(); tot = n = 0
    with torch.no_grad():
        for b in vdl:
            s = mae_step(m, b); tot += float(s.loss) * s.n; n += s.n
    return tot / n
for name in ('best.pt', 'last.pt'):
    m, ck = load_model(f'runs/cache/06967094d3a7/{name}')
    print(name, 'epoch', ck.get('epoch'), 'stored BN:', round(vloss(m), 5), flush=True)
    for nb in (4, 16, 32):
        m.train()
        with precise_bn(bn_layers(m, training_only=True)), torch.no_grad():
            for i, b in enumerate(tdl):
                if i >= nb: break
                mae_step(m, b)
        print(f'  precise BN over {nb} batches:', round(vloss(m), 5), flush=True)
