"""Scratch training of the tiny classifier on NW-UCLA with one augmentation setting; prints one JSON line (last / best test accuracy, curve).

The two committed runs: `python tools/nwucla_aug_probe.py --tag base --epochs 20` and
`python tools/nwucla_aug_probe.py --tag align_yaw --align 1 --yaw 0.8 --scale 0.15 --theta 0.1 --epochs 20`
(results in nbs/results/nwucla_aug_probe/)."""
import time, torch, sys, json, argparse, numpy as np
torch.set_num_threads(1)
from skelnb.data.formats import load_nwucla
from skelnb.models import SkeletonMAE
from skelnb.models.classifier import SkeletonClassifier
from skelnb.data import make_loader
from skelnb.data.transforms import *
from skelnb.training.recipes import fit_model
from skelnb.training.learner import classify_step
p = argparse.ArgumentParser()
p.add_argument('--align', type=int, default=0); p.add_argument('--theta', type=float, default=0.3)
p.add_argument('--yaw', type=float, default=0.0); p.add_argument('--scale', type=float, default=0.0)
p.add_argument('--epochs', type=int, default=20); p.add_argument('--T', type=int, default=32)
p.add_argument('--lr', type=float, default=1e-3); p.add_argument('--pmin', type=float, default=0.5)
p.add_argument('--ls', type=float, default=0.0); p.add_argument('--wd', type=float, default=1e-4)
p.add_argument('--tag', default='x')
a = p.parse_args()
class Yaw(Transform):
    def __init__(s, th, scale): s.th, s.scale = th, scale
    def __call__(s, x, n, rng):
        if s.th:
            phi = rng.uniform(-s.th, s.th); c, si = np.cos(phi), np.sin(phi)
            R = np.array([[c, 0, si], [0, 1, 0], [-si, 0, c]]); x = rotate(x, R)
        if s.scale: x = (x * rng.uniform(1 - s.scale, 1 + s.scale, size=(3, 1, 1, 1))).astype(np.float32)
        return x, n
d = load_nwucla(); tr, te = d.split('xview'); L = d.layout
def tf(train):
    return Compose(Center(L), AlignView(L) if a.align else None, CropResize(a.T, train, a.pmin, 0.95),
                   RandomRotate(a.theta) if train and a.theta else None, Yaw(a.yaw, a.scale) if train else None)
tdl = make_loader(tr, 32, True, a.T, transforms=tf(True)); vdl = make_loader(te, 64, False, a.T, transforms=tf(False))
m = SkeletonMAE.tiny(L, in_channels=3, bodies=1, frames=a.T)
clf = SkeletonClassifier.scratch(m.config, 10)
t0 = time.time()
learn, keep = fit_model(clf, tdl, vdl, classify_step(a.ls), lr=a.lr, monitor='valid_acc', epochs=a.epochs, wd=a.wd,
                        schedule='cosine', warmup=0.05, progress=False, precise_bn=0)
h = learn.history
print(json.dumps(dict(tag=a.tag, args=vars(a), last=h[-1]['valid_acc'], best=keep.best, train_last=h[-1]['train_acc'], wall=time.time()-t0, curve=[round(r['valid_acc'],3) for r in h])))
