"""Faults users hit with data, checkpoints and long runs, each reproduced and checked against its fix.

| fault | test |
|---|---|
| (1) a model pre-trained on a custom skeleton cannot be loaded in a fresh process (`KeyError: unknown joint layout`) | `test_custom_layout_round_trip_through_the_console_scripts` |
| (5) a 0-byte or truncated checkpoint fails with `IndexError` instead of naming the file | `test_empty_or_truncated_checkpoint_*` |
| (6) `skelnb_prepare_ntu` killed while saving destroys the previous output | `test_prepare_ntu_killed_mid_save_keeps_previous_output` |
| (10) crafted sizes make the readers allocate tens of gigabytes | `test_crafted_npz_header_*`, `test_crafted_skeleton_frame_count_*` |
| (12) `skelnb_experiment --keep_going` exits 0 when every run failed | `test_keep_going_exit_status` |
| (13) `load_npz` files an N-1 per-sample array under attrs; a missing `y` reads as unlabelled | `test_load_npz_*` |

Console scripts run as `python -c ...` with this interpreter, so they see the same `skelnb` (and `PYTHONPATH`)
as the tests. Everything is tiny and runs on one thread.
"""
import json, os, signal, subprocess, sys, tempfile, time, zipfile
from pathlib import Path
import numpy as np
import pytest
import torch

from skelnb.data import SkeletonData, load_npz
from skelnb.data.layouts import layout_from_edges
from skelnb.data.ntu import synthetic_ntu_raw, write_skeleton, read_skeleton, NTUFormatError, prepare_ntu
from skelnb.training.checkpoint import CheckpointError, read_checkpoint, resume_learner, save_checkpoint

torch.set_num_threads(1)
ENV = {**os.environ, 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}
SCRIPTS = {'skelnb_pretrain': 'skelnb.training.cli:pretrain_cli', 'skelnb_finetune': 'skelnb.training.cli:finetune_cli',
           'skelnb_eval': 'skelnb.analysis:eval_cli', 'skelnb_prepare_ntu': 'skelnb.data.ntu:prepare_ntu_cli',
           'skelnb_experiment': 'skelnb.experiments:main'}

def run(script, *args, timeout=600, prelude=''):
    "Run a console script in a fresh interpreter; `prelude` is python run before it."
    mod, fn = SCRIPTS[script].split(':')
    code = (f"import sys, torch; torch.set_num_threads(1); sys.argv = {[script, *map(str, args)]!r}\n{prelude}\n"
            f"from {mod} import {fn}; r = {fn}(); sys.exit(r if isinstance(r, int) else 0)")
    f = Path(tempfile.mkdtemp()) / f'{script}.py'  # run as a file: fastcore's `call_parse` reads sys.argv only then
    f.write_text(code)
    return subprocess.run([sys.executable, str(f)], capture_output=True, text=True, timeout=timeout, env=ENV)

# --- (1) custom layouts ----------------------------------------------------------------------------------------

LEGS = layout_from_edges(['pelvis', 'hip_left', 'knee_left', 'hip_right', 'knee_right', 'chest'],
                         [(0, 1), (1, 2), (0, 3), (3, 4), (0, 5)], name='test_legs6', center='pelvis',
                         parts=(('left_leg', (1, 2)), ('right_leg', (3, 4))), mirror=((1, 3), (2, 4)))

def custom_npz(path, N=48, T=16, K=3, seed=0):
    "Labelled sequences on a 6-joint skeleton that is not a built-in layout."
    rng = np.random.default_rng(seed)
    y = np.arange(N) % K
    t = np.linspace(0, 2 * np.pi, T)
    x = 0.1 * rng.normal(size=(N, 3, T, LEGS.num_joints, 1)).astype(np.float32)
    x += np.sin((y[:, None] + 1)[:, None, :, None, None] * t[None, None, :, None, None]).astype(np.float32)
    d = SkeletonData(x, y, np.full(N, T), LEGS, tuple(f'move{k}' for k in range(K)), name='legs')
    return d.save_npz(path)

def test_custom_layout_round_trip_through_the_console_scripts(tmp_path):
    data = custom_npz(tmp_path / 'legs.npz')
    pre, ft = tmp_path / 'pre', tmp_path / 'ft'
    r = run('skelnb_pretrain', '--data', f'npz:{data}', '--frames', 12, '--epochs', 1, '--batch_size', 16, '--out', pre, '--quiet')
    assert r.returncode == 0, r.stdout + r.stderr
    ck = torch.load(pre / 'best.pt', weights_only=True)
    assert ck['layout'] == LEGS.to_dict()  # the whole layout: names, bones, centre, parts, mirror pairs
    r = run('skelnb_finetune', '--data', f'npz:{data}', '--ckpt', pre / 'best.pt', '--epochs', 1, '--frames', 12,
            '--batch_size', 16, '--out', ft, '--quiet')  # a fresh process: only the built-in layouts are registered
    assert r.returncode == 0, r.stdout + r.stderr
    assert torch.load(ft / 'best.pt', weights_only=True)['layout'] == LEGS.to_dict()
    r = run('skelnb_eval', '--ckpt', ft / 'best.pt', '--data', f'npz:{data}', '--frames', 12)
    assert r.returncode == 0, r.stdout + r.stderr

def test_checkpoint_rebuilds_custom_layout_model_in_fresh_process(tmp_path):
    "The library path (`load_model`), without the console scripts."
    from skelnb.models.mae import SkeletonMAE
    torch.manual_seed(0)
    m = SkeletonMAE.tiny(LEGS, in_channels=3, bodies=1, frames=12)
    save_checkpoint(tmp_path / 'm.pt', m)
    code = (f"import torch; torch.set_num_threads(1)\nfrom skelnb.training.recipes import load_model\n"
            f"m, ck = load_model({str(tmp_path / 'm.pt')!r})\nprint(m.layout.name, m.layout.mirror, m.layout.parts)")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300, env=ENV)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == 'test_legs6' and '((1, 3), (2, 4))' in r.stdout

# --- (5) empty and truncated checkpoints -----------------------------------------------------------------------

def test_empty_or_truncated_checkpoint_names_the_file(tmp_path):
    p = save_checkpoint(tmp_path / 'good.pt', torch.nn.Linear(3, 2))
    raw = p.read_bytes()
    (tmp_path / 'empty.pt').write_bytes(b'')
    with pytest.raises(CheckpointError, match=r'empty\.pt: the checkpoint file is empty \(0 bytes\)'):
        read_checkpoint(tmp_path / 'empty.pt')
    for n in (1, 10, 100, len(raw) // 2, len(raw) - 1):
        (tmp_path / 'cut.pt').write_bytes(raw[:n])
        with pytest.raises(CheckpointError, match=rf'cut\.pt: cannot read the checkpoint \({n} bytes; truncated'):
            read_checkpoint(tmp_path / 'cut.pt')

def test_empty_or_truncated_checkpoint_on_resume(tmp_path):
    from skelnb.training.learner import Learner, toy_loaders, classify_step
    tdl, vdl = toy_loaders()
    learn = Learner(torch.nn.Linear(4, 2), tdl, vdl, step=classify_step(), lr=0.05, seed=0)
    (tmp_path / 'last.pt').write_bytes(b'')
    with pytest.raises(CheckpointError, match=r'last\.pt: the checkpoint file is empty'):
        resume_learner(learn, tmp_path / 'last.pt')

def test_empty_checkpoint_on_cli_resume(tmp_path):
    data = custom_npz(tmp_path / 'legs.npz', N=24)
    out = tmp_path / 'pre'
    r = run('skelnb_pretrain', '--data', f'npz:{data}', '--frames', 12, '--epochs', 1, '--batch_size', 16, '--out', out, '--quiet')
    assert r.returncode == 0, r.stdout + r.stderr
    (out / 'last.pt').write_bytes(b'')  # what a writer killed mid-save without the atomic writer leaves
    r = run('skelnb_pretrain', '--data', f'npz:{data}', '--frames', 12, '--epochs', 2, '--batch_size', 16, '--out', out,
            '--quiet', '--resume', '--force_resume')
    assert r.returncode != 0
    assert 'last.pt: the checkpoint file is empty (0 bytes)' in r.stdout + r.stderr, r.stdout + r.stderr
    assert 'IndexError' not in r.stdout + r.stderr

# --- (6) a conversion killed mid-save ---------------------------------------------------------------------------

@pytest.fixture(scope='module')
def ntu_raw(tmp_path_factory):
    d = tmp_path_factory.mktemp('ntu_raw')
    for k, name in enumerate(['S001C001P001R001A001', 'S001C002P002R001A002', 'S002C003P003R002A003']):
        write_skeleton(synthetic_ntu_raw(20 + 5 * k, 1, seed=k, name=name), d / f'{name}.skeleton')
    return d

KILL_MID_SAVE = """
import os, signal, numpy as np
_write, _n = np.lib.format.write_array, [0]
def _write_then_die(f, arr, *a, **k):
    _write(f, arr, *a, **k); _n[0] += 1
    if _n[0] == 2: f.flush(); os.kill(os.getpid(), signal.SIGKILL)  # killed half way through the archive
np.lib.format.write_array = _write_then_die
"""

def test_prepare_ntu_killed_mid_save_keeps_previous_output(ntu_raw, tmp_path):
    out = tmp_path / 'ntu60.npz'
    r = run('skelnb_prepare_ntu', ntu_raw, out, '--workers', 1, '--quiet', '--max_frames', 40)
    assert r.returncode == 0, r.stdout + r.stderr
    before = out.read_bytes()
    r = run('skelnb_prepare_ntu', ntu_raw, out, '--workers', 1, '--quiet', '--max_frames', 64, prelude=KILL_MID_SAVE)
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stdout, r.stderr)
    assert out.read_bytes() == before  # byte-identical: the killed run wrote only its temporary file
    assert load_npz(out).T == 40
    left = [p for p in tmp_path.iterdir() if p != out]
    from skelnb.core import is_temp_file
    assert len(left) == 1 and is_temp_file(left[0]) and left[0].name.startswith('.ntu60.npz.tmp-'), left
    old = time.time() - 3600; os.utime(left[0], (old, old))  # an hour later, the next run removes the leftover
    r = run('skelnb_prepare_ntu', ntu_raw, out, '--workers', 1, '--quiet', '--max_frames', 64)
    assert r.returncode == 0, r.stdout + r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ntu60.npz'] and load_npz(out).T == 64

def test_prepare_ntu_failing_mid_save_in_process(ntu_raw, tmp_path, monkeypatch):
    from skelnb.data.ntu import prepare_ntu_cli
    out = tmp_path / 'ntu60.npz'
    assert prepare_ntu_cli(str(ntu_raw), str(out), workers=1, quiet=True) == 0
    before, write = out.read_bytes(), np.lib.format.write_array
    def fail(f, arr, *a, **k):
        if arr.ndim == 1: raise OSError(28, 'No space left on device')
        return write(f, arr, *a, **k)
    monkeypatch.setattr(np.lib.format, 'write_array', fail)
    with pytest.raises(OSError, match='No space left'): prepare_ntu_cli(str(ntu_raw), str(out), workers=1, quiet=True)
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ['ntu60.npz']

# --- (10) crafted sizes -----------------------------------------------------------------------------------------

def _crafted_npz(path, shape, payload=b'\0' * 64, key='x'):
    "A valid skelnb npz whose member `key` has an .npy header claiming `shape` float32 but holds only `payload`."
    custom_npz(path.with_name('base.npz'), N=4)
    with zipfile.ZipFile(path.with_name('base.npz')) as src, zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as zf:
        for i in src.infolist():
            if i.filename != f'{key}.npy': zf.writestr(i.filename, src.read(i))
        with zf.open(f'{key}.npy', 'w') as f:
            np.lib.format.write_array_header_2_0(f, {'descr': '<f4', 'fortran_order': False, 'shape': shape})
            f.write(payload)
    return path

def test_crafted_npz_header_is_refused_before_allocating(tmp_path):
    p = _crafted_npz(tmp_path / 'bomb.npz', (10**10,))
    assert p.stat().st_size < 10_000
    with pytest.raises(ValueError, match=r"bomb\.npz: key 'x': header claims shape \(10000000000,\) float32 "
                                         r"\(40000000000 bytes of data\) but the member holds only 64 bytes"):
        load_npz(p)
    p = _crafted_npz(tmp_path / 'bomb5.npz', (10**5, 3, 300, 25, 2))  # a 5-D x claiming 18 GB
    with pytest.raises(ValueError, match=r"bomb5\.npz: key 'x': header claims shape \(100000, 3, 300, 25, 2\)"):
        load_npz(p)

def test_crafted_npz_header_through_the_cli(tmp_path):
    p = _crafted_npz(tmp_path / 'bomb.npz', (10**10,))
    r = run('skelnb_pretrain', '--data', f'npz:{p}', '--epochs', 1, '--out', tmp_path / 'o', '--quiet', timeout=120)
    assert r.returncode != 0 and "bomb.npz: key 'x': header claims shape (10000000000,)" in r.stdout + r.stderr, r.stdout + r.stderr

def test_npz_size_cap(tmp_path):
    p = custom_npz(tmp_path / 'legs.npz', N=8)
    with pytest.raises(ValueError, match=r"legs\.npz: key 'x': header claims an array of shape \(8, 3, 16, 6, 1\) float32 .* more than max_bytes=1000"):
        load_npz(p, max_bytes=1000)
    assert load_npz(p).N == 8

def test_crafted_skeleton_frame_count_is_refused(tmp_path):
    good = write_skeleton(synthetic_ntu_raw(5, 1), tmp_path / 'S001C001P001R001A001.skeleton')
    lines = good.read_text().splitlines()
    n = len(lines)
    for F in (10**9, 10**12, n):  # n: one more frame than the lines that follow can hold
        bad = tmp_path / 'S001C001P001R001A002.skeleton'
        bad.write_text('\n'.join([str(F)] + lines[1:]) + '\n')
        t0 = time.perf_counter()
        with pytest.raises(NTUFormatError, match=rf"S001C001P001R001A002\.skeleton, line 1: the frame count {F} cannot fit in the "
                                                 rf"file: expected at most {n - 1} frames"):
            read_skeleton(bad)
        assert time.perf_counter() - t0 < 1
    data, rep = prepare_ntu(tmp_path, workers=1, progress=False)
    assert data.N == 1 and f'S001C001P001R001A002.skeleton, line 1: the frame count {n} cannot fit' in str(rep)  # listed, not fatal

# --- (13) per-sample arrays and labels in npz files ------------------------------------------------------------

def _npz(path, **kw):
    N = 50
    base = dict(x=np.zeros((N, 3, 4, 3, 1), np.float32), y=np.arange(N) % 2, lengths=np.full(N, 4), class_names=np.array(['a', 'b']),
                joint_names=np.array(['a', 'b', 'c']), edges=np.array([[0, 1], [1, 2]]))
    base.update(kw)
    np.savez(path, **{k: v for k, v in base.items() if v is not None})
    return path

def test_load_npz_refuses_per_sample_array_with_a_sample_missing(tmp_path):
    with pytest.raises(ValueError, match=r"n1\.npz: key 'episode': expected one value per sample \(first dimension 50\) .* got shape \(49,\)"):
        load_npz(_npz(tmp_path / 'n1.npz', episode=np.arange(49)))
    with pytest.raises(ValueError, match=r"n2\.npz: key 'score'.*got shape \(51, 2\)"):
        load_npz(_npz(tmp_path / 'n2.npz', score=np.zeros((51, 2))))
    d = load_npz(_npz(tmp_path / 'ok.npz', episode=np.arange(50), fps=np.array(30.), channel_mean=np.zeros(3),
                      class_weight=np.ones(2)))
    assert sorted(d.meta) == ['episode'] and sorted(d.attrs) == ['channel_mean', 'class_weight', 'fps']
    assert load_npz(_npz(tmp_path / 'wide.npz', ticks=np.arange(49)), dataset_wide=('ticks',)).attrs['ticks'].shape == (49,)

def test_load_npz_missing_y_names_the_key(tmp_path):
    with pytest.raises(ValueError, match=r"noy\.npz: missing key 'y'"):
        load_npz(_npz(tmp_path / 'noy.npz', y=None))
    u = SkeletonData(np.zeros((2, 3, 4, 6, 1), np.float32), np.array([-1, -1]), np.array([4, 4]), LEGS)
    assert load_npz(u.save_npz(tmp_path / 'unlabelled.npz')).num_classes == 0  # unlabelled data store y = -1

# --- (12) skelnb_experiment --keep_going -------------------------------------------------------------------------

TINY = {'dataset': 'synthetic', 'data_n': 48, 'frames': 12, 'model': 'mae', 'scratch': True, 'finetune_epochs': 1,
        'batch_size': 16, 'overrides': {'encoder_blocks': [[16, 16, 8]], 'decoder_blocks': [[16, 16, 8]]}}

def test_keep_going_exit_status(tmp_path):
    bad = {**TINY, 'dataset': str(tmp_path / 'missing.npz')}
    (tmp_path / 'all_bad.json').write_text(json.dumps([{**bad, 'seed': 0}, {**bad, 'seed': 1}]))
    r = run('skelnb_experiment', tmp_path / 'all_bad.json', '--out', tmp_path / 'o1', '--keep_going', '--threads', 1)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    summary = [l for l in r.stderr.splitlines() if l.startswith('skelnb_experiment:')]
    assert len(summary) == 1 and summary[0].startswith('skelnb_experiment: all 2 runs failed; first: ') and 'missing.npz' in summary[0], r.stderr
    (tmp_path / 'mixed.json').write_text(json.dumps([{**bad, 'seed': 0}, {**TINY, 'seed': 0}]))
    r = run('skelnb_experiment', tmp_path / 'mixed.json', '--out', tmp_path / 'o2', '--keep_going', '--threads', 1)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert 'skelnb_experiment: 1 of 2 runs failed' in r.stderr, r.stderr
    assert len(list((tmp_path / 'o2').glob('*.json'))) == 1
    r = run('skelnb_experiment', tmp_path / 'mixed.json', '--out', tmp_path / 'o2', '--threads', 1)  # no --keep_going: the error
    assert r.returncode == 1 and 'missing.npz not found' in r.stderr and 'Traceback' not in r.stderr
