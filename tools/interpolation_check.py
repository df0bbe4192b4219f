#!/usr/bin/env python
# usage: python tools/interpolation_check.py [FRAME_RATIO]   -- how far below linear interpolation can a predictor of dropped frames get?
"""Interpolators of dropped frames on NW-UCLA's cross-view test clips (32 frames, the evaluation crop; body 0; masks of
`skelnb.masking.st_mask` with Mt = FRAME_RATIO (default 0.4) and no joint masking, seed = batch index). Only dropped frames
between two visible ones are scored (no extrapolation). Prints the mean Euclidean error (cm) of linear interpolation, a
natural cubic spline, PCHIP and Akima through the visible frames."""
import sys
import numpy as np
from scipy.interpolate import CubicSpline, PchipInterpolator, Akima1DInterpolator
from skelnb.training.registry import load_data, split
from skelnb.data.loaders import make_loader
from skelnb.masking import st_mask

ratio = float(sys.argv[1]) if len(sys.argv) > 1 else 0.4
_, te, _ = split(load_data('nwucla'), 'xview')
errs = {k: [] for k in ('linear', 'natural cubic spline', 'PCHIP', 'Akima')}
skipped = 0
for i, b in enumerate(make_loader(te, 64, train=False, T=32)):
    x, L = b['x'].numpy(), b['lengths'].numpy()
    m = st_mask(b['x'], frame_ratio=ratio, joint_ratio=0.0, lengths=b['lengths'], seed=i)
    kept = np.zeros(x.shape[:1] + x.shape[2:3], bool)
    kept[np.arange(len(x))[:, None], m.frame_idx.numpy()] = True
    for n in range(len(x)):
        T = int(L[n]); vis = np.flatnonzero(kept[n, :T])
        if len(vis) < 4: skipped += 1; continue  # too few frames for a cubic: counted, not scored
        drop = np.setdiff1d(np.arange(T), vis)
        drop = drop[(drop > vis[0]) & (drop < vis[-1])]
        if not len(drop): continue
        y = x[n, :, :T, :, 0]  # (C, T, V)
        lin = np.stack([np.stack([np.interp(drop, vis, y[c, vis, v]) for v in range(y.shape[2])], -1) for c in range(y.shape[0])])
        P = {'linear': lin, 'natural cubic spline': CubicSpline(vis, y[:, vis], axis=1, bc_type='natural')(drop),
             'PCHIP': PchipInterpolator(vis, y[:, vis], axis=1)(drop), 'Akima': Akima1DInterpolator(vis, y[:, vis], axis=1)(drop)}
        for k, p in P.items(): errs[k].append(np.sqrt(((p - y[:, drop]) ** 2).sum(0)).ravel())
print(f"NW-UCLA xview test clips, 32 frames, Mt = {ratio}: mean error on inner dropped frames (cm); {skipped} clips with fewer than 4 visible frames skipped")
for k, e in errs.items():
    e = np.concatenate(e); print(f"{k:22s} {100 * e.mean():.3f}  ({len(e)} joint positions)")
