#!/usr/bin/env python
# usage: python tools/pretrain_scale_check.py SCALE  -- 6 pre-training epochs of the small recommended SkeletonMAE on nwucla?stream=motion:4 multiplied by SCALE
"""Does masked pre-training depend on the stream's scale? Prints (epoch, training loss / SCALE², validation loss / SCALE²): equal
rows for two scales mean the flat loss of the motion stream is not a matter of its small values."""
import sys, torch, numpy as np
from dataclasses import replace
torch.set_num_threads(1)
from skelnb.training.registry import load_data, split, build_model
from skelnb.training.recipes import pretrain
if len(sys.argv) != 2: sys.exit('usage: python tools/pretrain_scale_check.py SCALE')
scale = float(sys.argv[1])
d = load_data('nwucla?stream=motion:4')
d = replace(d, x=(d.x * scale).astype(d.x.dtype))
tr, te, _ = split(d, 'xview')
m = build_model('mae', 'small', data=tr, frames=32, predict='residual', hidden_baseline='neighbours', decoder_kinds=True)
r = pretrain(m, tr, te, epochs=6, batch_size=32, frames=32, valid_every=1, progress=False, seed=0)
print(scale, [(e['epoch'], round(e['train_loss'] / scale**2, 6), round(e.get('valid_loss', np.nan) / scale**2, 6)) for e in r.history], flush=True)
