"""Pre-train a tiny SkeletonMAE variant on 1,200 synthetic actions (xview split, 12 frames, 15 epochs), then print its
reconstruction controls and representation controls (kNN k=20 / linear probe vs random init vs raw coordinates).

usage: python tools/synthetic_pretrain_probe.py JSON_OVERRIDES EPOCHS, e.g.
  python tools/synthetic_pretrain_probe.py '{"decoder_blocks": [[64, 64, 16], [64, 32, 16]]}' 15
The committed outputs are in nbs/results/synthetic_probe/."""
import time, torch, sys, json
torch.set_num_threads(1)
from skelnb.data.synthetic import synthetic_actions
from skelnb.training.registry import split
from skelnb.models.mae import SkeletonMAE
from skelnb.training.recipes import pretrain
from skelnb.analysis import representation_controls, reconstruction_controls
data = synthetic_actions(1200, T=48, seed=0); tr, te, _ = split(data, "xview")
over = json.loads(sys.argv[1]); ep = int(sys.argv[2])
torch.manual_seed(0); t0 = time.time()
m = SkeletonMAE.tiny(data.layout, in_channels=data.C, bodies=data.M, frames=12, **over)
r = pretrain(m, tr, te, epochs=ep, frames=12, batch_size=32, precise_bn=4, progress=False, valid_every=ep)
print(over, 'pretrain', round(time.time() - t0), r.metrics['val_loss'], flush=True)
rc = reconstruction_controls(m, te, 12)
print({k: {p: round(v, 3) for p, v in d.items() if v is not None} for k, d in rc['error'].items()}, rc['ratio'], flush=True)
rep = representation_controls(m, tr, te, 12, k=20, bn_batches=8)
print({k: (round(v['knn']['acc'], 3), round(v['probe']['acc'], 3)) for k, v in rep.items() if k != 'settings'}, flush=True)
