"""`torchrun --nproc_per_node 2` (gloo, CPU) runs the same console script and matches a single-process run.

What "matches" means: `--batch-size` is the global batch. The distributed sampler deals one seeded permutation out
round-robin, so the two half-batches of step i together are exactly batch i of the single-process run;
DistributedDataParallel averages their gradients, and batch norm computes its statistics over both processes
(`sync_batchnorm`). Augmentation is seeded per (seed, epoch, sample) and dropout is 0. So the two runs compute the
same thing up to floating-point summation order: losses agree to 1e-3 (relative) and accuracies exactly, while a
run with another seed differs by far more. (Raw weights are not compared: a convolution bias right before a batch
norm gets a gradient of pure rounding noise, which Adam turns into steps of full size; it does not change what
the network computes.)
"""
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest, torch

BIN = Path(sys.executable).parent
ARGS = ['--scratch', '--model', 'mae', '--data', 'synthetic:128', '--epochs', '2', '--frames', '16', '--batch-size', '16',
        '--schedule', 'none', '--dropout', '0', '--valid-every', '1', '--quiet']  # validate every epoch: the test compares each

def _run(cmd, out, seed=0):
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    r = subprocess.run([*cmd, *ARGS, '--seed', str(seed), '--out', str(out)], capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, f'{cmd} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    return r.stdout

def test_ddp_matches_single_process(tmp_path):
    ft = BIN / 'skelnb_finetune'
    if not ft.exists() or shutil.which('torchrun', path=str(BIN)) is None: pytest.skip('console scripts or torchrun not installed')
    if not torch.distributed.is_available() or not torch.distributed.is_gloo_available(): pytest.skip('no gloo backend')
    out_ddp = _run([str(BIN / 'torchrun'), '--standalone', '--nproc_per_node', '2', str(ft)], tmp_path / 'ddp')
    _run([str(ft)], tmp_path / 'single')
    _run([str(ft)], tmp_path / 'other', seed=1)
    assert len([l for l in out_ddp.splitlines() if l.startswith('finetune:')]) == 1, out_ddp  # only rank 0 prints
    assert sorted(p.name for p in (tmp_path / 'ddp').iterdir()) == ['best.pt', 'history.json', 'last.pt', 'metrics.json']

    m = {k: json.loads((tmp_path / k / 'metrics.json').read_text()) for k in ('ddp', 'single', 'other')}
    h = {k: json.loads((tmp_path / k / 'history.json').read_text()) for k in ('ddp', 'single', 'other')}
    assert m['ddp']['settings']['world_size'] == 2 and m['single']['settings']['world_size'] == 1
    assert m['ddp']['settings']['batch_size'] == m['single']['settings']['batch_size'] == 16
    assert len(h['ddp']) == len(h['single']) == 2
    for a, b, c in zip(h['ddp'], h['single'], h['other']):
        for k in ('train_loss', 'valid_loss'):
            assert abs(a[k] - b[k]) < 1e-3 * abs(b[k]), (k, a[k], b[k])
            assert abs(c[k] - b[k]) > 10 * abs(a[k] - b[k]), (k, a[k], b[k], c[k])  # the tolerance can tell runs apart
        assert abs(a['valid_acc'] - b['valid_acc']) < 1e-9, (a['valid_acc'], b['valid_acc'])
    assert abs(m['ddp']['val_acc'] - m['single']['val_acc']) < 1e-9
