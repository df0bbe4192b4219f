"""`make test`: library in sync with the notebooks, README in step, notebooks clean,
`nbdev_test` on every notebook, then the tests in tests/. Ends with one line `N passed, N failed`.

Each notebook counts as one test (it passes when every cell runs and every assertion holds);
each pytest test counts as one. Skipped tests are reported separately and never counted as passed.
"""
import os, re, shutil, subprocess, sys, tempfile, time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
passed, failed, skipped, failures = 0, 0, 0, []

def step(name, ok, detail=''):
    global passed, failed
    if ok: passed += 1
    else: failed += 1; failures.append(name)
    print(f"[{'PASS' if ok else 'FAIL'}] {name}{': ' + detail if detail else ''}", flush=True)

def run(cmd, **kw):
    print('$', ' '.join(map(str, cmd)), flush=True)
    return subprocess.run(list(map(str, cmd)), cwd=kw.pop('cwd', ROOT), **kw)

def check_export():
    "nbdev_export in a scratch copy must reproduce skelnb/ exactly (nothing missing, nothing extra)."
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        for f in ('settings.ini', 'setup.py', 'README.md'): shutil.copy(ROOT/f, d/f)
        shutil.copytree(ROOT/'nbs', d/'nbs')
        shutil.copytree(ROOT/'skelnb', d/'skelnb', ignore=shutil.ignore_patterns('*.py', '__pycache__'))
        r = run([BIN/'nbdev_export'], cwd=d, capture_output=True, text=True)
        if r.returncode: return step('library in sync with nbs/', False, r.stderr[-2000:])
        mine = {p.relative_to(ROOT/'skelnb') for p in (ROOT/'skelnb').rglob('*.py') if '__pycache__' not in p.parts}
        made = {p.relative_to(d/'skelnb') for p in (d/'skelnb').rglob('*.py') if '__pycache__' not in p.parts}
        bad = sorted(str(p) for p in mine ^ made)
        bad += sorted(str(p) for p in mine & made if (ROOT/'skelnb'/p).read_bytes() != (d/'skelnb'/p).read_bytes())
        step('library in sync with nbs/', not bad,
             f"differs from nbdev_export output: {', '.join(bad)} (edit the notebooks, run nbdev_export)" if bad else '')

def check_clean():
    "nbdev_clean must leave the notebooks unchanged."
    with tempfile.TemporaryDirectory() as d:
        d = Path(d); shutil.copy(ROOT/'settings.ini', d); shutil.copytree(ROOT/'nbs', d/'nbs')
        run([BIN/'nbdev_clean'], cwd=d, capture_output=True)
        bad = [p.name for p in sorted((ROOT/'nbs').rglob('*.ipynb')) if '.ipynb_checkpoints' not in p.parts
               and p.read_bytes() != (d/'nbs'/p.relative_to(ROOT/'nbs')).read_bytes()]
        step('notebooks clean', not bad, f"run nbdev_clean on: {', '.join(bad)}" if bad else '')

def check_readme():
    r = run([sys.executable, 'tools/make_readme.py', '--check'], capture_output=True, text=True)
    step('README.md in step with nbs/index.ipynb', r.returncode == 0, (r.stdout + r.stderr).strip())

def nbdev_tests():
    nbs = sorted(p for p in (ROOT/'nbs').rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts and not p.name.startswith('_'))
    t = time.time()
    # one torch thread per notebook worker: with 2 workers x 2 threads on 2 cores the notebooks run ~10x slower
    env = {**os.environ, 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '1')}
    r = run([BIN/'nbdev_test', '--n_workers', os.environ.get('NBDEV_WORKERS', '2'), '--timing'],
            capture_output=True, text=True, env=env)
    out = r.stdout + r.stderr
    print(out[-20000:], flush=True)
    bad = set()
    if r.returncode:
        m = re.search(r'Failed On The Following Notebooks:(.*)', out, re.S)
        bad = {p.name for p in nbs if m and p.name in m.group(1)} or {'nbdev_test (exit %d)' % r.returncode}
    for p in nbs:
        if p.name not in bad: step(f'notebook {p.relative_to(ROOT)}', True)
    for b in sorted(bad): step(f'notebook {b}', False)
    print(f'nbdev_test: {len(nbs)} notebooks in {time.time()-t:.0f}s', flush=True)

def pytests():
    global passed, failed, skipped
    xml = ROOT/'test_out'/'pytest.xml'; xml.parent.mkdir(exist_ok=True)
    r = run([sys.executable, '-m', 'pytest', 'tests', '-rs', '-q', f'--junitxml={xml}'])
    if not xml.exists(): return step('pytest', False, f'exit {r.returncode}, no report')
    for case in ET.parse(xml).getroot().iter('testcase'):
        name = f"{case.get('classname')}::{case.get('name')}"
        if case.find('skipped') is not None:
            skipped += 1; print(f'[SKIP] {name}: {case.find("skipped").get("message")}')
        elif case.find('failure') is not None or case.find('error') is not None: step(name, False)
        else: step(name, True)

if __name__ == '__main__':
    t0 = time.time()
    check_export(); check_readme(); check_clean(); nbdev_tests(); pytests()
    if failures: print('failed:', *failures, sep='\n  ')
    print(f'({skipped} skipped, {time.time()-t0:.0f}s)')
    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed or passed == 0 else 0)
