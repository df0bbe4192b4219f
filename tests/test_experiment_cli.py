"""`skelnb_experiment` from a shell: help from the docments, a dry run that lists a grid, a clear error for a bad file."""
import json, shutil, subprocess, sys
from pathlib import Path
import pytest

def _cli():
    exe = Path(sys.executable).parent/'skelnb_experiment'
    return [str(exe)] if exe.exists() else [sys.executable, '-c', 'from skelnb.experiments import main; main()']

def _run(*args, cwd=None):
    return subprocess.run(_cli() + list(args), capture_output=True, text=True, cwd=cwd, timeout=300)

def test_help_lists_options():
    r = _run('--help')
    assert r.returncode == 0, r.stderr
    for opt in ('--out', '--cache', '--shard', '--dry_run', '--keep_going', 'results folder'):
        assert opt in r.stdout, (opt, r.stdout)

def test_dry_run_counts_runs(tmp_path):
    grid = {'base': {'dataset': 'synthetic', 'data_n': 64, 'model': 'mae'},
            'grids': [{'seed': [0, 1]}, {'scratch': [True], 'seed': [0]}]}
    (tmp_path/'grid.json').write_text(json.dumps(grid))
    r = _run(str(tmp_path/'grid.json'), '--out', str(tmp_path/'out'), '--dry_run')
    assert r.returncode == 0, r.stderr
    assert '3 runs: 0 done, 3 to run, 2 pre-trainings to do' in r.stdout, r.stdout
    assert not list((tmp_path/'out').glob('*.json'))

def test_bad_config_names_the_problem(tmp_path):
    (tmp_path/'bad.json').write_text(json.dumps({'base': {'model': 'bert'}}))
    r = _run(str(tmp_path/'bad.json'), '--out', str(tmp_path/'out'), '--dry_run')
    assert r.returncode != 0
    assert 'ExperimentConfig.model' in r.stderr, r.stderr
