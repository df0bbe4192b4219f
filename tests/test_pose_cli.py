"""`--data pose:PATH` end to end: a DeepLabCut file written by movement from the bundled SLEAP recording, through
skelnb_pretrain, and the one-line errors of skelnb_pretrain / skelnb_finetune on pose data strings they cannot use."""
import importlib.util, json, os, subprocess, sys
from pathlib import Path
import numpy as np
import pytest

BIN = Path(sys.executable).parent
if importlib.util.find_spec('movement') is None: pytest.skip("the pose extra is not installed (pip install 'skelnb[pose]')", allow_module_level=True)
from skelnb.core import require_data, DataNotFound
try: SLEAP = require_data('zebrafish', 'zebrafish_sleap_freeswim_350fps.npz')
except DataNotFound as e: pytest.skip(f'zebrafish recordings absent: {e}', allow_module_level=True)


def run(cmd, *args, code=0):
    r = subprocess.run([str(BIN / cmd), *map(str, args)], capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'}, timeout=900)
    assert r.returncode == code, f'{cmd}: exit {r.returncode}, expected {code}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}'
    return r


@pytest.fixture(scope='module')
def dlc_file(tmp_path_factory):
    "6,000 frames (17 s) of the larva as a DeepLabCut HDF5 file, written by movement."
    from movement.io import load_poses, save_poses
    with np.load(SLEAP) as z: kp, sc, names = z['keypoints'][:6000], z['score'][:6000].astype(np.float32), [str(s) for s in z['joint_names']]
    ds = load_poses.from_numpy(kp.transpose(0, 2, 1)[..., None], sc[..., None], individual_names=['larva'], keypoint_names=names, fps=350)
    p = tmp_path_factory.mktemp('pose') / 'larva_dlc.h5'
    save_poses.to_dlc_file(ds, p, split_individuals=False)
    return p


def test_pretrain_on_pose_windows(dlc_file, tmp_path):
    out = tmp_path / 'pre'
    r = run('skelnb_pretrain', '--data', f'pose:{dlc_file}?fps=350&segment=windows&window=60&stride=30', '--model', 'msae',
            '--epochs', 1, '--frames', 30, '--batch-size', 16, '--out', out, '--quiet')
    assert r.stdout.startswith('pretrain: val_loss='), r.stdout
    m = json.loads((out / 'metrics.json').read_text())
    assert m['settings']['dataset'] == 'larva_dlc' and m['settings']['data'].startswith('pose:') and m['val_loss'] > 0
    from skelnb.training.registry import load_data
    d = load_data(f'pose:{dlc_file}?fps=350&segment=windows&window=60&stride=30')
    assert (d.N, d.T, d.V, d.M) == ((6000 - 60) // 30 + 1, 60, 7, 1) and d.attrs['edges_from'] == 'chain'


def test_pose_errors_are_one_line(dlc_file, tmp_path):
    r = run('skelnb_pretrain', '--data', f'pose:{dlc_file}?speed=3', '--out', tmp_path / 'a', code=2)
    assert r.stderr.strip().count('\n') == 0 and "unknown option 'speed'" in r.stderr, r.stderr
    r = run('skelnb_pretrain', '--data', f'pose:{dlc_file}', '--out', tmp_path / 'b', code=1)  # DLC files keep no frame rate
    assert r.stderr.strip().count('\n') == 0 and 'larva_dlc.h5: the file gives no frame rate; pass fps=' in r.stderr, r.stderr
    r = run('skelnb_finetune', '--scratch', '--data', f'pose:{dlc_file}?fps=350&segment=windows&window=60', '--out', tmp_path / 'c', code=1)
    assert r.stderr.strip().count('\n') == 0 and 'label' in r.stderr, r.stderr  # unlabelled recordings cannot be fine-tuned on
