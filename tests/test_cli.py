"""End to end: the console scripts skelnb_pretrain, skelnb_finetune and skelnb_eval on tiny synthetic data."""
import json, os, subprocess, sys
from pathlib import Path
import pytest

BIN = Path(sys.executable).parent
COMMON = ['--data', 'synthetic:96', '--frames', '16', '--batch-size', '16', '--quiet']

def run(cmd, *args):
    exe = BIN / cmd
    if not exe.exists(): pytest.skip(f'{exe} not installed (pip install -e .)')
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    r = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, f'{cmd} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    return r.stdout

def test_help_from_docments():
    out = ' '.join(run('skelnb_finetune', '--help').split())  # help lines wrap anywhere
    for flag, doc in [('--labels', 'class-stratified share'), ('--linear', 'freeze the encoder'),
                      ('--scratch', 'random encoder weights'), ('--ckpt', 'pre-trained checkpoint'), ('--batch-size', 'global batch'),
                      ('--layer-decay', 'layer_decay^(depth from the top)'), ('--workers', 'data loader worker'), ('--quiet', 'progress bars')]:
        assert flag in out and doc in out, (flag, out)
    pre = ' '.join(run('skelnb_pretrain', '--help').split())
    assert '--resume' in pre and '--force-resume' in pre and '--schedule' in pre and '(default: cosine)' in pre
    assert '--labels' not in pre and '--linear' not in pre and '--dropout' not in pre  # fine-tuning options only on skelnb_finetune

def test_pretrain_finetune_eval(tmp_path):
    pre, ft, lin, sc, ev = (tmp_path / n for n in ('pre', 'ft', 'lin', 'scratch', 'eval'))
    out = run('skelnb_pretrain', '--model', 'mvae', '--epochs', 2, '--out', pre, *COMMON)
    lines = [l for l in out.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith('pretrain: val_loss='), out
    assert {p.name for p in pre.iterdir()} >= {'best.pt', 'last.pt', 'history.json', 'metrics.json'}
    m = json.loads((pre / 'metrics.json').read_text())
    assert m['val_loss'] > 0 and m['wall_s'] > 0 and m['settings']['model'] == 'mvae' and m['settings']['batch_size'] == 16
    h = json.loads((pre / 'history.json').read_text())
    assert [r['epoch'] for r in h] == [0, 1] and 'train_kl' in h[0]

    out = run('skelnb_pretrain', '--model', 'mvae', '--epochs', 3, '--out', pre, '--force-resume', *COMMON)  # 3 epochs instead of 2
    assert [r['epoch'] for r in json.loads((pre / 'history.json').read_text())] == [0, 1, 2]
    assert json.loads((pre / 'metrics.json').read_text())['settings']['resumed_with_changes'] == {'epochs': {'was': 2, 'now': 3}}

    out = run('skelnb_finetune', '--ckpt', pre / 'best.pt', '--labels', 0.5, '--epochs', 2, '--out', ft, *COMMON)
    assert out.strip().startswith('finetune: val_acc='), out
    m = json.loads((ft / 'metrics.json').read_text())
    assert 0 <= m['val_acc'] <= 1 and m['settings']['labels'] == 0.5 and m['settings']['recipe'] == 'finetune'
    assert m['best_acc'] == m['val_acc'] and 0 <= m['last_acc'] <= 1 and m['wall_s'] > 0 and m['settings']['schedule'] == 'cosine'
    assert (ft / 'best.pt').exists() and (ft / 'last.pt').exists()

    run('skelnb_finetune', '--ckpt', pre / 'best.pt', '--linear', '--epochs', 1, '--out', lin, *COMMON)
    assert json.loads((lin / 'metrics.json').read_text())['settings']['recipe'] == 'linear'
    run('skelnb_finetune', '--scratch', '--model', 'mae', '--epochs', 1, '--out', sc, *COMMON)
    assert json.loads((sc / 'metrics.json').read_text())['settings']['recipe'] == 'scratch'

    out = run('skelnb_eval', '--ckpt', ft / 'best.pt', '--data', 'synthetic:96', '--frames', 16, '--out', ev)
    e = json.loads((ev / 'metrics.json').read_text())
    assert abs(e['acc'] - m['val_acc']) < 1e-6, (e['acc'], m['val_acc'])  # the saved best weights give the reported accuracy
    assert sum(map(sum, e['confusion'])) == e['settings']['test_samples'] and 0 <= e['knn_acc'] <= 1

def test_bad_flags_fail_clearly(tmp_path):
    exe = BIN / 'skelnb_finetune'
    if not exe.exists(): pytest.skip('not installed')
    r = subprocess.run([str(exe), '--data', 'synthetic:64', '--out', str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 2 and 'give --ckpt PATH' in r.stderr and len(r.stderr.splitlines()) == 1
    r = subprocess.run([str(BIN / 'skelnb_pretrain'), '--data', 'csv:x', '--out', str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 2 and 'expected synthetic[:N], nwucla' in r.stderr and 'Traceback' not in r.stderr

def _weights(path):
    import torch
    return torch.load(path, weights_only=True)['model']

def test_killed_run_resumes_exactly(tmp_path):
    "skelnb_pretrain killed (SIGKILL) after an epoch and resumed with --resume ends bit-identical to an uninterrupted run."
    import signal, time, torch
    from skelnb.training.checkpoint import read_checkpoint, CheckpointError
    exe = BIN / 'skelnb_pretrain'
    if not exe.exists(): pytest.skip('not installed')
    args = ['--model', 'mae', '--epochs', 4, '--schedule', 'cosine', '--seed', 3, *COMMON]
    full, cut = tmp_path / 'full', tmp_path / 'cut'
    run('skelnb_pretrain', *args, '--out', full)
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    p = subprocess.Popen([str(exe), *map(str, args), '--out', str(cut)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0, killed_after = time.time(), None
    while p.poll() is None and time.time() - t0 < 900:
        try: e = read_checkpoint(cut / 'last.pt')['epoch']
        except (FileNotFoundError, CheckpointError): e = -1
        if e >= 1: p.send_signal(signal.SIGKILL); p.wait(); killed_after = e; break
        time.sleep(0.2)
    if killed_after is None or killed_after >= 3: pytest.skip('the run finished before it could be killed')
    assert not (cut / 'metrics.json').exists()  # it really died mid-run
    run('skelnb_pretrain', *args, '--out', cut, '--resume')
    a, b = _weights(full / 'last.pt'), _weights(cut / 'last.pt')
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a), f'weights differ after resuming from epoch {killed_after}'
    ha, hb = (json.loads((d / 'history.json').read_text()) for d in (full, cut))
    strip = lambda h: [{k: v for k, v in r.items() if k != 'time_s'} for r in h]
    assert strip(ha) == strip(hb)
