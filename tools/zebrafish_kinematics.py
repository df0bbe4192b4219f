#!/usr/bin/env python
# usage: python tools/zebrafish_kinematics.py OUT.json [--epochs 30] [--seeds 0 1 2] [--recordings sleap posture dlc]
"""Do MSAE embeddings of zebrafish bouts predict held-out bout kinematics better than PCA of the raw coordinates?

For each recording of the data root's `zebrafish` folder: pre-train a small MSAE on all its bouts (no labels), per
seed; embed every bout (batch-norm statistics recomputed on whole bouts); and fit a ridge read-out of tail-beat
frequency, peak bend, duration and |heading change| with 5-fold cross-validation (R² on held-out bouts; inputs median-centred, IQR-scaled and clipped at ±3). The
controls are the same network at random initialisation and PCA of the raw coordinates with as many components as
the embedding has dimensions. Also: the k-means clustering of each description, k by silhouette."""
import argparse, json, platform, subprocess, sys, time
from pathlib import Path
import numpy as np
import torch
from tqdm.auto import tqdm
torch.set_num_threads(1)
from skelnb.core import atomic_write_json, require_data, seed_everything, DataNotFound
from skelnb.data import load_zebrafish
from skelnb.data.formats import ZEBRAFISH_FILES
from skelnb.models import MSAE
from skelnb.models.pretrained import PRETRAINED
from skelnb.training.recipes import pretrain, embed
from skelnb.analysis import recalibrate_bn
from skelnb.bouts import KINEMATICS, bout_kinematics, ridge_r2, raw_pca, choose_k

FRAMES = 30  # every bout is resampled to this many frames (a multiple of the 6-frame tuples), as in tutorial 94

def new_msae(layout, C):
    "The shipped `msae_zebrafish` architecture (tutorial 94's small MSAE) for this recording's layout and channels: per-frame masking 40 % / 40 %."
    return MSAE.tiny(layout, in_channels=C, **{**PRETRAINED['msae_zebrafish']['model'], 'frames': FRAMES})

def posture_heading(data):
    "|heading change| per bout of the 700 fps posture recording, from its continuous `head_angle`."
    with np.load(require_data('zebrafish', ZEBRAFISH_FILES['posture'][0])) as z: ang, start = z['head_angle'].astype(np.float64), z['start_frame']
    d = ang[start + data.lengths - 1] - ang[start]
    return np.angle(np.exp(1j * d))

def describe(X, kin):
    "Ridge R² per kinematic and the silhouette clustering of one description."
    k, sil, lab = choose_k(X)
    sizes = np.bincount(lab[k]).tolist()
    med = {name: [float(np.nanmedian(kin[name][lab[k] == c])) for c in range(k)] for name in KINEMATICS}
    return {'r2': ridge_r2(X, kin), 'k': k, 'silhouette': sil[k], 'silhouettes': sil, 'cluster_sizes': sizes, 'cluster_medians': med}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--epochs', type=int, default=30)
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--recordings', nargs='+', default=['sleap', 'posture', 'dlc'], choices=list(ZEBRAFISH_FILES))
    a = p.parse_args()
    try: recs = {r: load_zebrafish(recording=r) for r in a.recordings}
    except DataNotFound as e: sys.exit(f"skipped: {e}")
    out = Path(a.out); res = json.loads(out.read_text()) if out.exists() else {}
    res.update(command=' '.join(['python', 'tools/zebrafish_kinematics.py'] + sys.argv[1:]), frames=FRAMES, epochs=a.epochs,
               environment={'torch': torch.__version__, 'python': platform.python_version(), 'threads': torch.get_num_threads(),
                            'git_commit': subprocess.run(['git', 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip()})
    res.setdefault('recordings', {})
    for name, data in recs.items():
        kin = bout_kinematics(data, heading=posture_heading(data) if name == 'posture' else None)
        r = res['recordings'].setdefault(name, {'bouts': len(data), 'layout': data.layout.name, 'fps': data.attrs['fps'],
                                               'kinematics_std': {k: float(np.nanstd(v)) for k, v in kin.items()}, 'seeds': {}})
        r['kinematics_baseline'] = describe(np.stack([kin[k] for k in KINEMATICS if np.isfinite(kin[k]).all()], 1), kin)
        for seed in tqdm(a.seeds, desc=name):
            if str(seed) in r['seeds']: continue
            t0 = time.time(); seed_everything(seed)
            untrained = new_msae(data.layout, data.C)
            seed_everything(seed); model = new_msae(data.layout, data.C)
            tr = pretrain(model, data, epochs=a.epochs, frames=FRAMES, schedule='cosine', seed=seed, progress=False)
            emb = {'MSAE': embed(recalibrate_bn(tr.model, data, FRAMES), data, FRAMES),
                   'untrained MSAE': embed(recalibrate_bn(untrained, data, FRAMES), data, FRAMES)}
            emb['PCA of raw coordinates'] = raw_pca(data, FRAMES, emb['MSAE'].shape[1], seed=seed)
            keep = Path('runs/zebrafish'); keep.mkdir(parents=True, exist_ok=True)  # the descriptions, to re-read them without retraining
            np.savez(keep / f'{name}_seed{seed}.npz', **{d.replace(' ', '_'): X for d, X in emb.items()})
            r['seeds'][str(seed)] = {'pretrain_wall_s': time.time() - t0, 'train_loss_first_last': [tr.history[0]['train_loss'], tr.history[-1]['train_loss']],
                                     **{d: describe(X, kin) for d, X in emb.items()}}
            atomic_write_json(out, res)  # after every seed: an interrupted run keeps what it did
    summary = {}
    for name, r in res['recordings'].items():
        for d in ('MSAE', 'untrained MSAE', 'PCA of raw coordinates'):
            vals = {k: [s[d]['r2'][k] for s in r['seeds'].values()] for k in KINEMATICS}
            summary.setdefault(name, {})[d] = {k: [float(np.mean(v)), float(np.std(v))] for k, v in vals.items()}
    res['summary_r2_mean_std'] = summary
    atomic_write_json(out, res)
    print(json.dumps(summary, indent=1))

if __name__ == '__main__': main()
