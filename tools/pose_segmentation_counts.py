#!/usr/bin/env python
# usage: python tools/pose_segmentation_counts.py OUT.json  -- each bundled keypoint recording written as its tracker's file (movement's writers), read back with load_pose, bouts counted
"Segmentation counts per bundled recording, through the tracker file formats: SLEAP analysis .h5 (350 fps) and DeepLabCut .h5 (250 fps)."
import json, sys, tempfile, time
from pathlib import Path
import numpy as np
from skelnb.core import atomic_write_json, require_data
from skelnb.data import load_pose
from movement.io import load_poses, save_poses

def write(npz, kind, folder):
    "The whole recording as a SLEAP analysis file or a DLC file, with movement's own writer."
    with np.load(npz) as z:
        kp, names, fps, edges = z['keypoints'], [str(s) for s in z['joint_names']], float(z['fps']), z['edges']
        sc = (z['score'] if 'score' in z.files else z['likelihood']).astype(np.float32)
    ds = load_poses.from_numpy(kp.transpose(0, 2, 1)[..., None], sc[..., None], individual_names=['larva'], keypoint_names=names,
                               fps=fps, source_software='SLEAP' if kind == 'sleap' else 'DeepLabCut')
    path = folder / (f'{npz.stem}.analysis.h5' if kind == 'sleap' else f'{npz.stem}DLC.h5')
    if kind == 'sleap':
        save_poses.to_sleap_analysis_file(ds, path)
        import h5py
        with h5py.File(path, 'a') as f:  # the skeleton, as SLEAP writes it (movement's writer leaves it out)
            del f['edge_inds'], f['edge_names']
            f['edge_inds'] = edges.astype(np.int64); f['edge_names'] = np.array([[names[a], names[b]] for a, b in edges], dtype='S')
    else: save_poses.to_dlc_file(ds, path, split_individuals=False)  # DLC files hold no skeleton: load_pose takes a chain
    return path, fps, len(kp)

out, rows = Path(sys.argv[1]), []
with tempfile.TemporaryDirectory() as tmp:
    for stem, kind in [('zebrafish_sleap_freeswim_350fps', 'sleap'), ('zebrafish_dlc_headrestrained_250fps', 'dlc')]:
        t0 = time.time()
        path, fps, frames = write(require_data('zebrafish', f'{stem}.npz'), kind, Path(tmp))
        d = load_pose(path, fps=fps, segment='bouts', max_s=0.5)
        a = d.attrs
        rows.append(dict(recording=stem, file=path.name, fps=fps, frames=frames, minutes=round(frames / fps / 60, 2), bouts=d.N,
                         bouts_cut_at_max_s=int(a.get('segment_cut', 0)), threshold=round(float(a['segment_bout_threshold']), 2),
                         median_bout_frames=int(np.median(d.lengths)), missing_in_file=int(a['missing_in_file']),
                         low_confidence=int(a['low_confidence']), filled=int(a['filled']), edges_from=a['edges_from'],
                         joints=list(d.layout.joint_names), seconds=round(time.time() - t0, 1)))
        print(json.dumps(rows[-1]))
atomic_write_json(out, {'command': 'python tools/pose_segmentation_counts.py ' + str(out), 'settings': "load_pose(path, fps=..., segment='bouts', max_s=0.5), defaults otherwise (min_confidence 0.5, fill='interpolate')", 'recordings': rows})
