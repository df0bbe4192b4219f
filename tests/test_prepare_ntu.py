"""`skelnb_prepare_ntu RAW_DIR OUT.npz --dataset ntu60|ntu120` run as a console script on generated files.

The folder holds format-correct generated recordings (one and two people), a truncated copy, a file with a
name that is not an NTU sample name, a sample on the missing-skeleton list and an NTU-120-only action.
The command must convert the good files (in a pool of worker processes), name every other file in its
report, and write an npz that `skelnb.data.load_npz` reads with the protocol flags.
"""
import subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from skelnb.data.core import load_npz
from skelnb.data.ntu import synthetic_ntu_raw, write_skeleton, read_skeleton, ntu_sequence, NTU120_XSUB_TRAIN

SCRIPT = Path(sys.executable).parent / 'skelnb_prepare_ntu'
GOOD = {'S001C001P001R001A001': (40, 1), 'S001C002P002R002A013': (55, 1), 'S002C003P003R001A050': (33, 2),
        'S003C001P004R002A060': (47, 2), 'S004C002P045R001A002': (30, 1)}

@pytest.fixture(scope='module')
def raw_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp('ntu_raw')
    for k, (name, (t, b)) in enumerate(GOOD.items()):
        sub = d / ('nturgbd_s001_to_s017' if k % 2 else '.')  # files in sub-folders are found too
        sub.mkdir(exist_ok=True)
        write_skeleton(synthetic_ntu_raw(t, b, seed=k, name=name), sub / f'{name}.skeleton')
    text = (d / 'S001C001P001R001A001.skeleton').read_text().splitlines()
    (d / 'S005C001P001R001A007.skeleton').write_text('\n'.join(text[:100]) + '\n')  # truncated
    (d / 'clip_7.skeleton').write_text('\n'.join(text) + '\n')  # not an NTU sample name
    (d / 'S001C002P005R002A008.skeleton').write_text('\n'.join(text) + '\n')  # on the missing-skeleton lists
    write_skeleton(synthetic_ntu_raw(20, 1, seed=9), d / 'S018C001P050R001A070.skeleton')  # NTU-120 only
    return d

def run(*args):
    assert SCRIPT.exists(), f'{SCRIPT} missing: install skelnb (pip install -e .)'
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=300)

def test_help_from_docments():
    r = run('--help')
    assert r.returncode == 0 and 'ntu60 (protocols xsub, xview)' in r.stdout and '--max_frames' in r.stdout

def test_ntu60(raw_dir, tmp_path):
    out = tmp_path / 'ntu60.npz'
    r = run(raw_dir, out, '--dataset', 'ntu60', '--workers', '2', '--quiet')
    assert r.returncode == 0, r.stdout + r.stderr
    rep = r.stdout
    assert '9 .skeleton files: 5 converted, 2 skipped, 2 unreadable' in rep, rep
    assert 'S005C001P001R001A007.skeleton: file ends after line 100 (truncated?)' in rep, rep
    assert 'clip_7.skeleton: unknown sample-name pattern' in rep, rep
    assert 'S001C002P005R002A008.skeleton: listed among the ntu60 samples with missing skeletons' in rep, rep
    assert 'S018C001P050R001A070.skeleton: not part of ntu60 (setup 18, action 70)' in rep, rep
    d = load_npz(out)
    assert d.sample_name.tolist() == sorted(GOOD)
    assert d.x.shape == (5, 3, 300, 25, 2) and d.x.dtype == np.float32
    assert d.y.tolist() == [int(n[-3:]) - 1 for n in sorted(GOOD)]
    assert d.lengths.tolist() == [GOOD[n][0] for n in sorted(GOOD)]
    assert d.num_classes == 60 and d.layout.name == 'ntu25'
    assert sorted(d.flags) == ['train_xsub', 'train_xview']
    assert d.flags['train_xsub'].tolist() == [True, True, False, True, False]  # performers 3 and 45 are not NTU-60 training subjects
    assert d.flags['train_xview'].tolist() == [False, True, True, False, True]  # cameras 2 and 3 train
    assert d.subject.tolist() == [1, 2, 3, 4, 45] and d.view.tolist() == [1, 2, 3, 1, 2]
    assert d.meta['setup'].tolist() == [1, 1, 2, 3, 4]
    two = sorted(GOOD).index('S002C003P003R001A050')
    assert np.abs(d.x[two, ..., 1]).max() > 0 and np.abs(d.x[0, ..., 1]).max() == 0  # second body zero for one person
    ref = ntu_sequence(read_skeleton(raw_dir / 'S001C001P001R001A001.skeleton'))
    np.testing.assert_array_equal(d.x[0, :, :40], ref)  # the pool gives what one process gives

def test_ntu120_and_max_frames(raw_dir, tmp_path):
    out = tmp_path / 'ntu120.npz'
    r = run(raw_dir, out, '--dataset', 'ntu120', '--max_frames', '36', '--quiet')
    assert r.returncode == 0, r.stdout + r.stderr
    assert '9 .skeleton files: 6 converted, 1 skipped, 2 unreadable, 3 cut to max_frames' in r.stdout, r.stdout
    d = load_npz(out)
    assert d.T == 36 and d.num_classes == 120 and sorted(d.flags) == ['train_xset', 'train_xsub']
    assert d.lengths.max() == 36
    assert d.flags['train_xset'].tolist() == [s % 2 == 0 for s in d.meta['setup']]
    assert d.flags['train_xsub'].tolist() == [p in NTU120_XSUB_TRAIN for p in d.subject]
    assert 'S018C001P050R001A070' in d.sample_name.tolist()

def test_nothing_readable(tmp_path):
    (tmp_path / 'raw').mkdir()
    (tmp_path / 'raw' / 'S001C001P001R001A001.skeleton').write_text('2\n1\n')
    r = run(tmp_path / 'raw', tmp_path / 'o.npz', '--quiet')
    assert r.returncode == 1 and 'none of the 1 .skeleton files could be converted' in r.stdout, r.stdout
    assert not (tmp_path / 'o.npz').exists()
    r = run(tmp_path / 'raw', tmp_path / 'o.npz', '--dataset', 'ntu90')
    assert r.returncode == 1 and "dataset must be one of ['ntu120', 'ntu60']" in r.stdout, r.stdout
