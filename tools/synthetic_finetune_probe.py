"""Pre-train one tiny variant on 1,200 synthetic actions (12 frames), print its representation controls, then fine-tune with a share of
the labels against scratch (2 seeds each). usage: python tools/synthetic_finetune_probe.py N KIND EPOCHS LABELS, KIND in
motion | grid | gridm | vq | dk | paper (dk: the console's recommended SkeletonMAE options); e.g. `python tools/synthetic_finetune_probe.py 1200 grid 15 0.05`. Outputs in nbs/results/synthetic_probe/."""
import time, torch, sys, json, numpy as np
torch.set_num_threads(1)
from skelnb.data.synthetic import synthetic_actions
from skelnb.training.registry import split
from skelnb.models.mae import SkeletonMAE, SkeletonMVQVAE
from skelnb.training.recipes import pretrain, finetune
from skelnb.analysis import representation_controls
from skelnb.training.cli import RECOMMENDED_OPTIONS
if len(sys.argv) != 5 or sys.argv[2] not in ('motion', 'grid', 'gridm', 'vq', 'dk', 'paper'):
    sys.exit('usage: python tools/synthetic_finetune_probe.py N KIND EPOCHS LABELS, KIND in motion | grid | gridm | vq | dk | paper')
n, T, F = int(sys.argv[1]), 48, 12
kind = sys.argv[2]; pre_ep = int(sys.argv[3]); labels = float(sys.argv[4])
data = synthetic_actions(n, T=T, seed=0)
tr, te, prot = split(data, "xview")
print(len(tr), len(te), prot, flush=True)
kw = dict(frames=F, progress=False)
t0 = time.time()
over = dict(norm_target='coords+motion', frame_ratio=0.6, joint_ratio=0.5) if kind == 'motion' else {}
if kind == 'vq': over = dict(vq_kmeans_init=True, vq_restart=1.0, code_dim=16)
if kind == 'grid': over = dict(encoder_input='grid')
if kind == 'dk': over = dict(RECOMMENDED_OPTIONS['SkeletonMAE'])
if kind == 'gridm': over = dict(encoder_input='grid', norm_target='coords+motion', frame_ratio=0.6, joint_ratio=0.5)
cls = SkeletonMVQVAE if kind.startswith('vq') else SkeletonMAE
torch.manual_seed(0)
m = cls.tiny(data.layout, in_channels=data.C, bodies=data.M, frames=F, **over)
pre = pretrain(m, tr, te, epochs=pre_ep, batch_size=32, valid_every=max(pre_ep // 2, 1), precise_bn=4, **kw)
print('pretrain', round(time.time() - t0), pre.metrics, {k: v for k, v in pre.history[-1].items() if 'perplex' in k or 'dead' in k}, flush=True)
rep = representation_controls(m, tr, te, F, k=20, bn_batches=8)
print({k: (v['knn']['acc'], v['probe']['acc']) for k, v in rep.items() if k != 'settings'}, flush=True)
for seed in (0, 1):
    for scratch in (False, True):
        t1 = time.time()
        ft = finetune(m, tr, te, epochs=30, batch_size=8, lr=2e-3, labels=labels, seed=seed, scratch=scratch, valid_every=5, label_smoothing=0.1, precise_bn=4, **kw)
        print('scratch' if scratch else 'pretrained', seed, round(ft.metrics['best_acc'], 3), round(ft.metrics['last_acc'], 3), round(time.time() - t1), flush=True)
print('total', round(time.time() - t0))
