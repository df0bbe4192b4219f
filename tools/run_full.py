#!/usr/bin/env python
# usage: python tools/run_full.py NOTEBOOK.ipynb [...]   -- make a tutorial's stored outputs: run it with FULL = True
"""Execute a tutorial with its `FULL = True` switch, keep the outputs, put the switch back to `FULL = False`, clean it and
stamp it (`tools/outputs_stamp.py --full`), without the live widgets' saved state, so that the stored outputs are the full run's and a reader's *Run All*
stays the quick run. Each notebook is written atomically, and only after it ran to the end: a cell that fails leaves
the notebook as it was and names the cell."""
import json, os, subprocess, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'tools'))
import outputs_stamp

def switch_cell(nb):
    "Index of the code cell that starts with the `FULL =` switch."
    for i, c in enumerate(nb.cells):
        if c.cell_type == 'code' and c.source.startswith('FULL ='): return i
    raise SystemExit(f"run_full: no code cell starting with 'FULL =' in the notebook")

def run_full(path: Path):
    nb = nbformat.read(path, as_version=4)
    i = switch_cell(nb)
    quick = nb.cells[i].source
    first, _, rest = quick.partition('\n')
    nb.cells[i].source = first.replace('FULL = False', 'FULL = True', 1) + ('\n' + rest if rest else '')
    t0 = time.time()
    try: NotebookClient(nb, timeout=None, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}).execute()
    except CellExecutionError as e:
        raise SystemExit(f"run_full: {path.name}: a cell failed, the notebook is unchanged:\n{str(e)[-2000:]}") from None
    nb.cells[i].source = quick
    nb.metadata.pop('widgets', None)  # the live widgets' state (plotly.js alone is ~5 MB): not kept in git; figures drawn by `viz` stay as outputs
    tmp = path.with_name(f'.{path.name}.full.tmp')
    nbformat.write(nb, tmp); os.replace(tmp, path)
    subprocess.run([str(ROOT / '.venv' / 'bin' / 'nbdev_clean'), '--fname', str(path)], check=True, cwd=ROOT)
    outputs_stamp.stamp(path, full=True)
    subprocess.run([str(ROOT / '.venv' / 'bin' / 'nbdev_clean'), '--fname', str(path)], check=True, cwd=ROOT)
    print(f"{path.name}: full run in {time.time() - t0:.0f} s, stamped {outputs_stamp.status(json.loads(path.read_text()))}", flush=True)

if __name__ == '__main__':
    if len(sys.argv) < 2: sys.exit(__doc__.splitlines()[0] + '\nusage: python tools/run_full.py NOTEBOOK.ipynb [...]')
    for a in sys.argv[1:]: run_full(Path(a).resolve())
