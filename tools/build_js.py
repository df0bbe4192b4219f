#!/usr/bin/env python
# usage: python tools/build_js.py [--check | --install]   -- build the browser side of skelnb's dashboards (js/ -> skelnb/labextension/)
"""Build skelnb's JupyterLab extension `skelnb-widgets` (the `PlotlyView` widget; JupyterLab, Notebook 7 and Voila load it)
from `js/` into `skelnb/labextension/`, with the machine's Node.js, the npm registry and the installed JupyterLab's
staging files. The built files are committed, so an install needs no Node.js; `source.sha256` records the sources they
were built from. `--check` exits 1, naming the command, when the sources changed since the last build. `--install` copies
the build to `{sys.prefix}/share/jupyter/labextensions/skelnb-widgets` (what `make install` runs: here an editable
install did not copy setup.py's data files, and a copy made once would go stale; a build updates an installed copy)."""
import hashlib, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JS, OUT = ROOT / 'js', ROOT / 'skelnb' / 'labextension'
STAMP = OUT / 'source.sha256'

def sources() -> list:
    "The files the extension is built from."
    return [JS / 'package.json', JS / 'package-lock.json'] + sorted((JS / 'src').glob('*.js'))

def source_hash() -> str:
    h = hashlib.sha256()
    for p in sources(): h.update(p.relative_to(JS).as_posix().encode() + b'\0' + p.read_bytes() + b'\0')
    return h.hexdigest()

def is_current() -> bool: return STAMP.exists() and STAMP.read_text().strip() == source_hash()

def build():
    for tool in ('node', 'npm'):
        if not shutil.which(tool): sys.exit(f"build_js: {tool} not found; the built extension in {OUT.relative_to(ROOT)} is used as it is")
    try: import jupyterlab
    except ImportError: sys.exit("build_js: JupyterLab is not installed in this Python (its staging files are what the build links against)")
    staging = Path(jupyterlab.__file__).parent / 'staging'
    if subprocess.run(['npm', 'ci', '--no-audit', '--no-fund'], cwd=JS).returncode: sys.exit("build_js: npm ci failed in js/ (see above)")
    old = OUT.with_name(OUT.name + '.old')  # the last build, kept until the new one is complete (no stale chunks mixed in)
    if old.exists(): shutil.rmtree(old)
    if OUT.exists(): OUT.rename(old)
    r = subprocess.run(['node', str(JS / 'node_modules' / '.bin' / 'build-labextension'), '--core-path', str(staging), '.'], cwd=JS)
    if r.returncode:
        if OUT.exists(): shutil.rmtree(OUT)
        if old.exists(): old.rename(OUT)
        sys.exit(f"build_js: the build failed (see above); {OUT.relative_to(ROOT)} is as it was")
    if old.exists(): shutil.rmtree(old)
    tmp = STAMP.with_suffix('.tmp'); tmp.write_text(source_hash() + '\n'); tmp.replace(STAMP)
    print(f"built {OUT.relative_to(ROOT)}: {', '.join(sorted(p.name for p in (OUT / 'static').iterdir()))}")
    if installed_dir().exists(): install()  # keep this Python's copy in step

def installed_dir() -> Path: return Path(sys.prefix) / 'share' / 'jupyter' / 'labextensions' / 'skelnb-widgets'

def install():
    "Copy the build to where this Python's JupyterLab, Notebook 7 and Voila look (a copy: Voila refuses files behind a symlink)."
    if not (OUT / 'package.json').exists(): sys.exit(f"build_js: no build in {OUT.relative_to(ROOT)} (run: python tools/build_js.py)")
    dest = installed_dir()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp, old = dest.with_name(dest.name + '.new'), dest.with_name(dest.name + '.old')
    for p in (tmp, old):
        if p.is_symlink(): p.unlink()
        elif p.exists(): shutil.rmtree(p)
    shutil.copytree(OUT, tmp)
    if dest.is_symlink() or dest.exists(): dest.rename(old)
    tmp.rename(dest)
    if old.is_symlink(): old.unlink()
    elif old.exists(): shutil.rmtree(old)
    print(f"installed {OUT.relative_to(ROOT)} in {dest}")

def installed_is_current() -> bool:
    "The installed copy holds the same files as the build."
    dest = installed_dir()
    files = lambda d: {p.relative_to(d): p.read_bytes() for p in d.rglob('*') if p.is_file()}
    return dest.is_dir() and files(dest) == files(OUT)

def main(argv: list):
    if argv == ['--check']:
        if not is_current(): sys.exit(f"build_js: {OUT.relative_to(ROOT)} is older than js/ (run: python tools/build_js.py)")
        print('skelnb/labextension is current')
    elif argv == ['--install']: install()
    elif argv: sys.exit(f"usage: python tools/build_js.py [--check | --install]; got {' '.join(argv)}")
    else: build()

if __name__ == '__main__': main(sys.argv[1:])
