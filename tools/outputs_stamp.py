#!/usr/bin/env python
# usage: python tools/outputs_stamp.py NOTEBOOK.ipynb [--full] [--check]
"""Which code produced a notebook's stored outputs: a digest of its code cells, kept in the notebook's metadata.

Stamp a notebook right after executing it (`--full` when it ran with its `FULL = True` switch, as the tutorials'
stored outputs do). `tests/test_notebooks.py` compares the stamp with the code as it is now: a notebook whose code
changed after its outputs were made shows outputs of other code."""
import hashlib, json, sys, time
from pathlib import Path

KEY = 'skelnb_outputs'

def code_digest(nb: dict) -> str:
    "SHA-256 (16 hex) of the code cells' sources, leaving out the `FULL = ...` switch line (outputs are made with FULL = True)."
    parts = []
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        src = ''.join(c['source'])
        parts.append('\n'.join(l for l in src.splitlines() if not l.startswith('FULL =')))
    return hashlib.sha256('\x00'.join(parts).encode()).hexdigest()[:16]

def has_outputs(nb: dict) -> bool: return any(c.get('outputs') for c in nb['cells'] if c['cell_type'] == 'code')

def status(nb: dict) -> str:
    "'no outputs', 'unstamped', 'stale' (code changed since the outputs were made) or 'current'."
    if not has_outputs(nb): return 'no outputs'
    st = nb.get('metadata', {}).get(KEY)
    if not st: return 'unstamped'
    return 'current' if st.get('code') == code_digest(nb) else 'stale'

def stamp(path, full: bool = False):
    p = Path(path); nb = json.loads(p.read_text())
    nb.setdefault('metadata', {})[KEY] = {'code': code_digest(nb), 'full': bool(full), 'made': time.strftime('%Y-%m-%d')}
    tmp = p.with_name(f'.{p.name}.stamp.tmp'); tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n'); tmp.replace(p)

if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if not args: sys.exit(__doc__.splitlines()[0] + '\nusage: python tools/outputs_stamp.py NOTEBOOK.ipynb [--full] [--check]')
    for a in args:
        if '--check' in sys.argv: print(f"{a}: {status(json.loads(Path(a).read_text()))}")
        else: stamp(a, '--full' in sys.argv); print(f"{a}: stamped")
