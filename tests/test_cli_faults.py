"""Faults of the console scripts skelnb_pretrain and skelnb_finetune: one clean line on stderr and the right exit code.

Exit codes: 2 when the command line cannot work as given (checked before any data are read), 1 when the data, a
checkpoint or a file cannot be used or another run holds --out. Most cases call the console-script entry
(`pretrain_cli` / `finetune_cli`, which read `sys.argv`) in this process, so that torch is imported once; the
`subprocess` tests run the installed scripts themselves.
"""
import json, os, signal, socket, stat, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest, torch

from skelnb.training.cli import pretrain_cli, finetune_cli, LOCK_NAME
from skelnb.training.recipes import TrainConfig

torch.set_num_threads(1)
BIN = Path(sys.executable).parent
FAST = ['--frames', '12', '--batch-size', '16', '--quiet']
ENTRY = {'skelnb_pretrain': pretrain_cli, 'skelnb_finetune': finetune_cli}


def console(monkeypatch, capsys, cmd, *args):
    "Run a console-script entry in this process as the script would: `(exit code, stdout, stderr)`."
    monkeypatch.setattr(sys, 'argv', [cmd, *map(str, args)])
    try: ENTRY[cmd](); code = 0
    except SystemExit as e: code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def script(cmd, *args, env=None):
    "Run an installed console script: the `CompletedProcess`."
    exe = BIN / cmd
    if not exe.exists(): pytest.skip(f'{exe} not installed (pip install -e .)')
    env = {**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})}
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=env, timeout=900)


def one_clean_line(err: str, prog: str) -> str:
    "The single stderr line of a failed script (no traceback), without the program name."
    lines = err.splitlines()
    assert len(lines) == 1 and 'Traceback' not in err, err
    assert lines[0].startswith(f'{prog}: '), err
    return lines[0][len(prog) + 2:]


@pytest.fixture(scope='module')
def npz(tmp_path_factory):
    "A small npz in the skelnb format with the synthetic protocols (xsub, xview)."
    from skelnb.data.synthetic import synthetic_actions
    return synthetic_actions(96, T=16, seed=0).save_npz(tmp_path_factory.mktemp('data') / 'small.npz')


@pytest.fixture(scope='module')
def lopsided_npz(tmp_path_factory):
    "The same data with two protocols that leave a side empty: `all` (no test sequence) and `none` (no training sequence)."
    from skelnb.data.synthetic import synthetic_actions
    d = synthetic_actions(96, T=16, seed=0)
    d.flags = {'train_all': np.ones(len(d), bool), 'train_none': np.zeros(len(d), bool)}
    return d.save_npz(tmp_path_factory.mktemp('data') / 'lopsided.npz')


@pytest.fixture(scope='module')
def base_run(tmp_path_factory):
    "A finished one-epoch pre-training run, made by the installed script: its output folder."
    out = tmp_path_factory.mktemp('runs') / 'base'
    r = script('skelnb_pretrain', '--data', 'synthetic:96', '--epochs', 1, '--out', out, *FAST)
    assert r.returncode == 0, r.stderr
    return out


# --- (2), (8), (11): the command line is checked before any work, one line names the flag ---------------------
USAGE = [  # (script, args, what the line must say)
    ('skelnb_pretrain', ['--batch-size', 0], '--batch-size: expected an int >= 1, got 0'),
    ('skelnb_pretrain', ['--frames', 0], '--frames: expected an int >= 1, got 0'),
    ('skelnb_pretrain', ['--epochs', 0], '--epochs: expected an int >= 1, got 0'),
    ('skelnb_pretrain', ['--epochs', -2], '--epochs: expected an int >= 1, got -2'),
    ('skelnb_pretrain', ['--epochs', 'ten'], "argument --epochs: invalid int value: 'ten'"),
    ('skelnb_pretrain', ['--workers', -1], '--workers: expected an int >= 0, got -1'),
    ('skelnb_pretrain', ['--schedule', 'linear'], "--schedule: expected one of"),
    ('skelnb_pretrain', ['--labels', 0.5], 'unrecognized arguments: --labels'),  # a fine-tuning option
    ('skelnb_pretrain', ['--data', 'csv:x.csv'], "--data 'csv:x.csv': expected synthetic[:N], nwucla[:PATH], npz:PATH, ntu:PATH.npz or pose:PATH"),
    ('skelnb_pretrain', ['--data', 'npz:'], "--data 'npz:': give a file"),
    ('skelnb_pretrain', ['--model', 'gpt'], "--model 'gpt': expected one of"),
    ('skelnb_pretrain', ['--data', 'synthetic:96?stream=velocity'], "--data 'synthetic:96?stream=velocity': stream='velocity'; expected one of ['joint', 'bone', 'motion'] or 'motion:K'"),
    ('skelnb_finetune', ['--scratch', '--labels', 1.5], '--labels: expected a share in (0, 1], got 1.5'),
    ('skelnb_finetune', ['--scratch', '--dropout', 1], '--dropout: expected a number in [0, 0.99], got 1'),
    ('skelnb_finetune', ['--scratch', '--linear'], '--scratch with --linear would train a linear head on a random encoder; choose one'),
    ('skelnb_finetune', [], 'give --ckpt PATH (a pre-trained checkpoint) or --scratch'),
]

@pytest.mark.parametrize('cmd,args,says', USAGE, ids=[' '.join(map(str, a)) or 'no-ckpt' for _, a, _ in USAGE])
def test_usage_error_before_any_work(monkeypatch, capsys, tmp_path, cmd, args, says):
    # the data file does not exist: an error about it (code 1) would mean the data were looked at first
    code, out, err = console(monkeypatch, capsys, cmd, '--data', f'npz:{tmp_path}/missing.npz', '--out', tmp_path / 'run', *args)
    assert code == 2, (code, err)
    assert says in one_clean_line(err, cmd), err
    assert out == '' and not (tmp_path / 'run').exists()


def test_unusable_out(monkeypatch, capsys, tmp_path):
    (tmp_path / 'file').write_text('x')
    for out, says in [(tmp_path / 'file', f'--out {tmp_path}/file: is a file, expected a folder'),
                      (tmp_path / 'file' / 'run', 'is a file, so no folder can be made under it'),
                      ('/proc/skelnb-run', '--out /proc/skelnb-run: cannot write in /proc')]:
        code, _, err = console(monkeypatch, capsys, 'skelnb_pretrain', '--data', f'npz:{tmp_path}/missing.npz', '--out', out)
        assert code == 2 and says in one_clean_line(err, 'skelnb_pretrain'), err


def test_out_folder_without_write_permission(monkeypatch, capsys, tmp_path):
    ro = tmp_path / 'ro'; ro.mkdir(); ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(ro, os.W_OK): pytest.skip('running as root: permissions do not stop writes')
        code, _, err = console(monkeypatch, capsys, 'skelnb_pretrain', '--data', 'synthetic:96', '--out', ro / 'run')
        assert code == 2 and f'--out {ro}/run: cannot write in {ro}' in one_clean_line(err, 'skelnb_pretrain'), err
    finally: ro.chmod(stat.S_IRWXU)


def test_usage_error_from_the_installed_script(tmp_path):
    r = script('skelnb_pretrain', '--data', f'npz:{tmp_path}/missing.npz', '--batch-size', 0, '--out', tmp_path / 'run')
    assert r.returncode == 2 and one_clean_line(r.stderr, 'skelnb_pretrain') == '--batch-size: expected an int >= 1, got 0'
    r = script('skelnb_finetune', '--scratch', '--linear', '--out', tmp_path / 'run')
    assert r.returncode == 2 and '--scratch with --linear' in one_clean_line(r.stderr, 'skelnb_finetune')
    assert not (tmp_path / 'run').exists()


# --- (2): data errors: code 1, one line naming the file; --debug shows the traceback -----------------------------
def test_data_errors_exit_1(monkeypatch, capsys, tmp_path, npz):
    (tmp_path / 'junk.npz').write_bytes(b'not a zip archive')
    (tmp_path / 'junk.pt').write_bytes(b'not a checkpoint')
    cases = [('skelnb_pretrain', ['--data', f'npz:{tmp_path}/missing.npz'], f'--data \'npz:{tmp_path}/missing.npz\': file {tmp_path}/missing.npz not found'),
             ('skelnb_pretrain', ['--data', f'npz:{tmp_path}/junk.npz'], f'{tmp_path}/junk.npz'),
             ('skelnb_pretrain', ['--data', f'npz:{npz}', '--protocol', 'nosuch'], "has no protocol 'nosuch'; it has"),
             ('skelnb_finetune', ['--ckpt', tmp_path / 'missing.pt'], f'--ckpt {tmp_path}/missing.pt: no such file'),
             ('skelnb_finetune', ['--ckpt', tmp_path / 'junk.pt', '--data', f'npz:{npz}'], f'{tmp_path}/junk.pt: cannot read the checkpoint')]
    for cmd, args, says in cases:
        code, _, err = console(monkeypatch, capsys, cmd, *args, '--out', tmp_path / 'run', *FAST)
        assert code == 1 and says in one_clean_line(err, cmd), (args, err)
        assert not (tmp_path / 'run').exists()  # the folder made for the run is removed again when nothing was written


def test_data_not_found_and_debug_from_the_installed_script(tmp_path):
    r = script('skelnb_pretrain', '--data', 'nwucla', '--out', tmp_path / 'run', env={'SKELNB_DATA': str(tmp_path)})
    assert r.returncode == 1 and 'nwucla.npz not found: set SKELNB_DATA' in one_clean_line(r.stderr, 'skelnb_pretrain'), r.stderr
    r = script('skelnb_pretrain', '--data', f'npz:{tmp_path}/missing.npz', '--out', tmp_path / 'run', '--debug')
    assert r.returncode == 1 and 'Traceback' in r.stderr and 'FileNotFoundError' in r.stderr


# --- (4): an empty split is refused before training, naming the split and the protocol ---------------------------
def test_empty_split_refused(monkeypatch, capsys, tmp_path, lopsided_npz):
    for cmd, proto, side in [('skelnb_pretrain', 'all', 'test'), ('skelnb_finetune', 'none', 'training')]:
        extra = ['--scratch'] if cmd == 'skelnb_finetune' else []
        code, out, err = console(monkeypatch, capsys, cmd, '--data', f'npz:{lopsided_npz}', '--protocol', proto, *extra, '--out', tmp_path / proto, *FAST)
        line = one_clean_line(err, cmd)
        assert code == 1 and f"--protocol {proto}: the {side} split of synthetic_actions is empty (0 of 96 sequences); protocols of these data: ['all', 'none']" in line, err
        assert out == '' and not (tmp_path / proto).exists()  # nothing trained, nothing written


# --- (3): one run per --out ---------------------------------------------------------------------------------------
def test_second_run_on_one_out_refused(tmp_path):
    "While one run works in OUT (paused here with SIGSTOP once it holds OUT/.lock), a second run on OUT is refused."
    exe = BIN / 'skelnb_pretrain'
    if not exe.exists(): pytest.skip('not installed')
    out, lock = tmp_path / 'run', tmp_path / 'run' / LOCK_NAME
    args = [str(exe), '--data', 'synthetic:96', '--epochs', '1', '--out', str(out), *FAST]
    first = subprocess.Popen(args, env={**os.environ, 'OMP_NUM_THREADS': '1'}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        t0 = time.time()
        while not lock.exists() and first.poll() is None and time.time() - t0 < 300: time.sleep(0.05)
        assert lock.exists(), 'the first run never took the lock'
        first.send_signal(signal.SIGSTOP)
        assert lock.read_text().split() == [str(first.pid), socket.gethostname()]
        r = script('skelnb_pretrain', '--data', 'synthetic:96', '--epochs', '1', '--out', out, *FAST)
        assert r.returncode == 1, r.stderr
        assert f'--out {out}: in use by process {first.pid} on {socket.gethostname()}' in one_clean_line(r.stderr, 'skelnb_pretrain')
        assert lock.read_text().split()[0] == str(first.pid)  # the refused run left the lock alone
    finally:
        first.send_signal(signal.SIGCONT)
    so, se = first.communicate(timeout=900)
    assert first.returncode == 0, se
    assert so.startswith('pretrain: val_loss=') and not lock.exists()


def test_stale_lock_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, '-c', '']); dead.wait()
    out = tmp_path / 'run'; out.mkdir()
    (out / LOCK_NAME).write_text(f'{dead.pid} {socket.gethostname()}\n')
    r = script('skelnb_pretrain', '--data', 'synthetic:96', '--epochs', '1', '--out', out, *FAST)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == (f'skelnb_pretrain: note: {out / LOCK_NAME} was left by process {dead.pid}, '
                                'which is no longer running; taking it over')
    assert sorted(p.name for p in out.iterdir()) == ['best.pt', 'history.json', 'last.pt', 'metrics.json']


# --- (7): --resume with other settings ------------------------------------------------------------------------------
def test_resume_with_other_settings_refused(monkeypatch, capsys, base_run):
    same = ['--data', 'synthetic:96', '--epochs', 1, '--out', base_run, *FAST]
    before = (base_run / 'last.pt').read_bytes()
    for flag, value, shown in [('--lr', 5e-3, '--lr default (now 0.005)'), ('--data', 'synthetic:128', '--data synthetic:96 (now synthetic:128)'),
                               ('--seed', 1, '--seed 0 (now 1)'), ('--epochs', 3, '--epochs 1 (now 3)')]:
        code, out, err = console(monkeypatch, capsys, 'skelnb_pretrain', *same, flag, value, '--resume')
        line = one_clean_line(err, 'skelnb_pretrain')
        assert code == 2 and f'--resume: {base_run} was started with other settings: {shown}; ' in line and '--force-resume' in line, err
        assert out == ''
    assert (base_run / 'last.pt').read_bytes() == before and not (base_run / LOCK_NAME).exists()
    # the installed script lists every difference at once
    r = script('skelnb_pretrain', '--data', 'synthetic:128', '--epochs', 2, '--seed', 1, '--lr', 5e-3, '--out', base_run, *FAST, '--resume')
    line = one_clean_line(r.stderr, 'skelnb_pretrain')
    assert r.returncode == 2 and 'other settings: --data synthetic:96 (now synthetic:128), --epochs 1 (now 2), --lr default (now 0.005), --seed 0 (now 1);' in line, line


def test_force_resume_records_the_differences(tmp_path, base_run):
    import shutil
    out = tmp_path / 'forced'; shutil.copytree(base_run, out)
    r = script('skelnb_pretrain', '--data', 'synthetic:96', '--epochs', 2, '--lr', 5e-3, '--out', out, *FAST, '--force-resume')
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == (f'skelnb_pretrain: note: resuming {out} with other settings: --epochs 1 (now 2), --lr default (now 0.005); '
                                "the optimiser state of last.pt keeps its own --lr")
    m = json.loads((out / 'metrics.json').read_text())
    assert m['settings']['resumed_with_changes'] == {'epochs': {'was': 1, 'now': 2}, 'lr': {'was': None, 'now': 0.005, 'applied': False}}
    assert [row['epoch'] for row in json.loads((out / 'history.json').read_text())] == [0, 1]


def test_resume_compares_metrics_json_for_older_checkpoints(monkeypatch, capsys, tmp_path, base_run):
    "A last.pt without the command's record (an older run): the settings in metrics.json are compared."
    import shutil
    out = tmp_path / 'old'; shutil.copytree(base_run, out)
    ck = torch.load(out / 'last.pt', weights_only=True); del ck['extra']['run']; torch.save(ck, out / 'last.pt')
    code, _, err = console(monkeypatch, capsys, 'skelnb_pretrain', '--data', 'synthetic:128', '--epochs', 1, '--lr', 5e-3,
                           '--out', out, *FAST, '--resume')
    assert code == 2 and 'other settings: --data synthetic:96 (now synthetic:128), --lr 0.001 (now 0.005);' in one_clean_line(err, 'skelnb_pretrain'), err


# --- the recipe of TrainConfig without flags, and what metrics.json holds ---------------------------------------------
def test_defaults_are_the_train_config_recipe(tmp_path, npz):
    """Only --data (and, for CPU time, --epochs/--frames/--batch-size): every other training setting is the command's
    recommended recipe: TrainConfig's defaults changed by the command's `config_defaults`, and for `--model mae` the
    recommended model options (the bundle in `RECOMMENDED_OPTIONS`)."""
    from skelnb.training.cli import pretrain_cmd, finetune_cmd
    given = {'epochs': 1, 'frames': 12, 'batch_size': 16, 'progress': False}
    recipe = lambda cmd: {k: v for k, v in {**TrainConfig().to_dict(), **cmd.config_defaults}.items() if k not in given and k != 'lr'}
    defaults = recipe(pretrain_cmd)
    pre, ft = tmp_path / 'pre', tmp_path / 'ft'
    r = script('skelnb_pretrain', '--data', f'npz:{npz}', '--epochs', 1, '--out', pre, *FAST)
    assert r.returncode == 0, r.stderr
    s = json.loads((pre / 'metrics.json').read_text())['settings']
    assert {k: s[k] for k in defaults if k in s} == {k: v for k, v in defaults.items() if k in s} and s['schedule'] == 'cosine'
    assert s['valid_every'] == 5 and s['precise_bn'] == 4
    assert s['model_options'] == {'predict': 'residual', 'hidden_baseline': 'neighbours', 'decoder_kinds': True}  # the recommended bundle
    r = script('skelnb_finetune', '--data', f'npz:{npz}', '--ckpt', pre / 'best.pt', '--epochs', 1, '--out', ft, *FAST)
    assert r.returncode == 0, r.stderr
    m = json.loads((ft / 'metrics.json').read_text())
    s = m['settings']
    defaults = recipe(finetune_cmd)
    assert s['label_smoothing'] == 0.1 and s['valid_every'] == 5
    label_seed = defaults.pop('label_seed')
    assert {k: s[k] for k in defaults} == defaults and s['label_seed'] == (s['seed'] if label_seed is None else label_seed)
    assert 0 <= m['val_acc'] <= 1 and m['best_acc'] == m['val_acc'] and 0 <= m['last_acc'] <= 1 and m['wall_s'] > 0
    assert r.stdout.startswith('finetune: val_acc=') and sorted(p.name for p in ft.iterdir()) == ['best.pt', 'history.json', 'last.pt', 'metrics.json']


# --- (9): a classifier meets data with another class list: an error naming both lists ------------------------------
def test_class_sets_checked(monkeypatch, capsys, tmp_path, npz):
    from skelnb.data import load_npz
    code, _, err = console(monkeypatch, capsys, 'skelnb_finetune', '--scratch', '--data', f'npz:{npz}', '--epochs', 1,
                           '--out', tmp_path / 'clf', *FAST)
    assert code == 0, err
    d = load_npz(npz)
    d.class_names = [f'other {i}' for i in range(d.num_classes)]  # same number of classes, other names
    other = d.save_npz(tmp_path / 'other.npz')
    want = f"{tmp_path}/clf/best.pt: the classifier was trained on classes {list(load_npz(npz).class_names)}"
    code, _, err = console(monkeypatch, capsys, 'skelnb_finetune', '--ckpt', tmp_path / 'clf' / 'best.pt', '--data', f'npz:{other}',
                           '--epochs', 1, '--out', tmp_path / 'ft', *FAST)
    assert code == 1 and want in one_clean_line(err, 'skelnb_finetune') and "have ['other 0'" in err, err
    from skelnb.analysis import eval_cli
    monkeypatch.setattr(sys, 'argv', ['skelnb_eval', '--ckpt', str(tmp_path / 'clf' / 'best.pt'), '--data', f'npz:{other}'])
    with pytest.raises(SystemExit) as e: eval_cli()
    assert e.value.code == 1 and want in one_clean_line(capsys.readouterr().err, 'skelnb_eval')


def test_input_stream_checked(monkeypatch, capsys, tmp_path, npz, base_run):
    "A checkpoint trained on the joints meets bone-stream data (and the other way round): one line naming both streams, exit 1."
    code, _, err = console(monkeypatch, capsys, 'skelnb_finetune', '--ckpt', base_run / 'best.pt', '--data', 'synthetic:96?stream=bone',
                           '--epochs', 1, '--out', tmp_path / 'ft', *FAST)
    assert code == 1, err
    assert "trained on the 'joint' stream, the data are the 'bone' stream" in one_clean_line(err, 'skelnb_finetune'), err
    assert not (tmp_path / 'ft' / 'best.pt').exists()
    code, _, err = console(monkeypatch, capsys, 'skelnb_finetune', '--scratch', '--data', f'npz:{npz}?stream=bone', '--epochs', 1,
                           '--out', tmp_path / 'bone', *FAST)
    assert code == 0, err
    from skelnb.analysis import eval_cli
    monkeypatch.setattr(sys, 'argv', ['skelnb_eval', '--ckpt', str(tmp_path / 'bone' / 'best.pt'), '--data', f'npz:{npz}'])
    with pytest.raises(SystemExit) as e: eval_cli()
    assert e.value.code == 1
    assert "trained on the 'bone' stream, the data are the 'joint' stream" in one_clean_line(capsys.readouterr().err, 'skelnb_eval')
