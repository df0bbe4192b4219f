"""The notebooks a reader opens have no holes: no placeholder left in prose, a kernel to run on, slow work opt-in."""
import json, re
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parents[1] / 'nbs'
NOTEBOOKS = sorted(p for p in NBS.glob('*.ipynb'))
# An all-caps token joined by underscores (RESULTS_PROSE, SWEEP_PROSE, TODO_TEXT), or a cell that is one all-caps word.
PLACEHOLDER = re.compile(r'\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b')


def _prose(src: str) -> str:
    "Markdown without code: fenced blocks and `inline code` removed (names like SKELNB_DATA belong there)."
    src = re.sub(r'```.*?```', ' ', src, flags=re.S)
    return re.sub(r'`[^`]*`', ' ', src)


def placeholders(nb: dict) -> list:
    "(cell index, token) of every placeholder token in the markdown cells of a notebook."
    out = []
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] != 'markdown': continue
        text = _prose(''.join(c['source']))
        out += [(i, t) for t in PLACEHOLDER.findall(text)]
        if re.fullmatch(r'\s*[A-Z][A-Z0-9]{3,}\s*', text): out.append((i, text.strip()))
    return out


def test_placeholder_check_catches_tokens():
    "The check itself: it finds the kinds of token that were once left in the tutorials, and not code names."
    nb = {'cells': [{'cell_type': 'markdown', 'source': ['RESULTS_PROSE']},
                    {'cell_type': 'markdown', 'source': ['As `SKELNB_DATA` says, the NW-UCLA data ...']},
                    {'cell_type': 'markdown', 'source': ['Results: CODEBOOK_PROSE.']},
                    {'cell_type': 'markdown', 'source': ['PENDING']},
                    {'cell_type': 'code', 'source': ['X_TRAIN = 1']}]}
    assert placeholders(nb) == [(0, 'RESULTS_PROSE'), (2, 'CODEBOOK_PROSE'), (3, 'PENDING')]


@pytest.mark.parametrize('path', NOTEBOOKS, ids=lambda p: p.name)
def test_no_placeholders_in_prose(path):
    found = placeholders(json.loads(path.read_text()))
    assert not found, f'{path.name}: placeholder tokens left in markdown cells (cell, token): {found}'


@pytest.mark.parametrize('path', NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec(path):
    "Every notebook opens on a Python 3 kernel without a 'Select Kernel' dialog (nbdev_clean keeps it: allowed_metadata_keys)."
    ks = json.loads(path.read_text())['metadata'].get('kernelspec', {})
    assert ks.get('name') == 'python3' and ks.get('language') == 'python', f'{path.name}: kernelspec {ks}'


@pytest.mark.parametrize('path', [p for p in NOTEBOOKS if 'tutorial' in p.name], ids=lambda p: p.name)
def test_slow_work_is_opt_in(path):
    "Run All in a tutorial is quick: long cells run under `if FULL:`, and FULL is set to False by a visible switch before them; no `#| slow` flags."
    cells = [(c['cell_type'], ''.join(c['source'])) for c in json.loads(path.read_text())['cells']]
    code = [s for k, s in cells if k == 'code']
    assert not any(s.startswith('#| slow') for s in code), f'{path.name}: a `#| slow` cell (Run All would run it): use `if FULL:`'
    full = [i for i, s in enumerate(code) if re.search(r'^if FULL:', s, re.M)]
    if full:
        switch = [i for i, s in enumerate(code) if re.match(r'FULL = False\b', s)]
        assert switch and switch[0] < full[0], f'{path.name}: `if FULL:` cells without a `FULL = False` switch before them'


# --- stored outputs made by the notebook's code as it is now (tools/outputs_stamp.py; the stamp covers the notebook's own
# code cells, not the library they call: a library change that alters a result is caught by the notebook's assertions) ---
import importlib.util, sys
_spec = importlib.util.spec_from_file_location('outputs_stamp', Path(__file__).resolve().parents[1] / 'tools' / 'outputs_stamp.py')
stamp_tool = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(stamp_tool)
# Outputs made before the code around them last changed (or before stamps existed). Re-run each with FULL = True, stamp it
# (`python tools/outputs_stamp.py NB --full`) and take it off this list; the test fails when the list is out of date.
KNOWN_STALE = set()  # every tutorial's stored outputs were made by its current code (tools/run_full.py)


def test_stamp_tool_tells_current_from_stale(tmp_path):
    "The check itself: a stamp matches its code, an edited code cell makes it stale, the FULL switch line does not."
    nb = {'cells': [{'cell_type': 'code', 'source': ['FULL = False'], 'outputs': []},
                    {'cell_type': 'code', 'source': ['print(1)'], 'outputs': [{'output_type': 'stream', 'name': 'stdout', 'text': ['1']}]}],
          'metadata': {}}
    p = tmp_path / 'nb.ipynb'; p.write_text(json.dumps(nb))
    assert stamp_tool.status(nb) == 'unstamped'
    stamp_tool.stamp(p, full=True); nb = json.loads(p.read_text())
    assert stamp_tool.status(nb) == 'current' and nb['metadata']['skelnb_outputs']['full'] is True
    nb['cells'][0]['source'] = ['FULL = True']; assert stamp_tool.status(nb) == 'current'
    nb['cells'][1]['source'] = ['print(2)']; assert stamp_tool.status(nb) == 'stale'


def _shows_stored_outputs(nb) -> bool:
    "The README's notebook and the tutorials (a `FULL =` switch) are read with their stored outputs; the docs re-run the rest."
    return any(c['cell_type'] == 'code' and ''.join(c['source']).startswith('FULL =') for c in nb['cells'])

STORED = [p for p in NOTEBOOKS if p.name == 'index.ipynb' or _shows_stored_outputs(json.loads(p.read_text()))]


@pytest.mark.parametrize('path', STORED, ids=lambda p: p.name)
def test_stored_outputs_are_current(path):
    st = stamp_tool.status(json.loads(path.read_text()))
    if path.name in KNOWN_STALE:
        assert st in ('stale', 'unstamped'), f'{path.name} is {st} now: take it off KNOWN_STALE'
    else:
        nb = json.loads(path.read_text())
        if st == 'current' and _shows_stored_outputs(nb):  # a tutorial's stored outputs come from its full run
            assert nb['metadata'][stamp_tool.KEY].get('full'), f'{path.name}: stored outputs stamped from a quick run; re-run with FULL = True'
        assert st in ('no outputs', 'current'), (f'{path.name}: stored outputs are {st} (made by other code than is there now); '
                                                 f're-execute it (FULL = True for a tutorial) and run python tools/outputs_stamp.py {path} --full')
