#!/usr/bin/env python
# usage: python tools/make_pretrained.py [NAME ...]   -- rebuild the shipped checkpoints in skelnb/models/weights (all by default)
"Train the small models `skelnb.models.pretrained` ships, from their recipes in `PRETRAINED`, on one CPU thread."
import dataclasses, sys, time
import torch
torch.set_num_threads(1)
from skelnb.core import seed_everything
from skelnb.data import synthetic_actions, synthetic_bouts
from skelnb.data.formats import egocentric_bouts
from skelnb.models.pretrained import PRETRAINED, WEIGHTS, build_untrained, save_pretrained
from skelnb.training.recipes import pretrain

def recipe_data(t):
    if t['data'] == 'synthetic_actions': return synthetic_actions(t['n'], T=t['T'], seed=t['seed'], drop_prob=t['drop_prob'])
    b = synthetic_bouts(t['n'], T=t['T'], seed=t['seed'])
    return dataclasses.replace(b, x=egocentric_bouts(b.x, b.lengths, b.layout))

for name in sys.argv[1:] or list(PRETRAINED):
    if name not in PRETRAINED: sys.exit(f"make_pretrained: unknown name {name!r}; expected one of {sorted(PRETRAINED)}")
    p, t0 = PRETRAINED[name], time.time()
    data = recipe_data(p['train'])
    seed_everything(0); model = build_untrained(name)
    res = pretrain(model, data, epochs=p['epochs'], lr=p['lr'], batch_size=32, schedule='cosine', seed=0, progress=False)
    sha = save_pretrained(res.model, WEIGHTS / f'{name}.pt', {**p, 'torch': torch.__version__, 'threads': 1, 'command': f'python tools/make_pretrained.py {name}',
                                                              'train_loss_last': res.history[-1]['train_loss']})
    print(f"{name}: {time.time() - t0:.0f} s, train loss {res.history[0]['train_loss']:.4f} -> {res.history[-1]['train_loss']:.4f}, sha256 {sha[:16]}", flush=True)
