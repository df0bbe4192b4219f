"""Layers import one way only: core -> data -> masking -> models -> training -> analysis/bouts/viz -> dashboards -> bench/demo/experiments.

These tests parse the exported modules (no import needed) and fail on an import that goes up a layer,
and check in a fresh interpreter that `import skelnb.models` pulls in no plotting or widget library.
"""
import ast, subprocess, sys
from pathlib import Path
import pytest

LIB = Path(__file__).resolve().parents[1] / 'skelnb'
ORDER = ['core', 'data', 'masking', 'models', 'training', 'analysis', 'bouts', 'viz', 'dashboards', 'bench']
LEVEL = {'core': 0, 'data': 1, 'masking': 2, 'models': 3, 'training': 4, 'analysis': 5, 'bouts': 5, 'viz': 5, 'dashboards': 6, 'bench': 7, 'demo': 7, 'experiments': 7}
HEAVY = ('plotly', 'ipywidgets', 'umap', 'anywidget', 'matplotlib')

def _layer(mod: str):
    "Layer of a dotted module name inside skelnb, e.g. 'skelnb.data.ntu' -> 'data'."
    parts = mod.split('.')
    return parts[1] if len(parts) > 1 and parts[1] in LEVEL else None

def _modules():
    for p in sorted(LIB.rglob('*.py')):
        rel = p.relative_to(LIB.parent).with_suffix('')
        name = '.'.join(rel.parts).removesuffix('.__init__')
        if _layer(name): yield name, p

def _imports(name, path):
    "Absolute skelnb modules imported by the module `name` at `path`."
    pkg = name.split('.') if path.name == '__init__.py' else name.split('.')[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level: base = '.'.join(pkg[:len(pkg) - node.level + 1] + ([node.module] if node.module else []))
            else: base = node.module or ''
            yield base
            yield from (f'{base}.{a.name}' for a in node.names)

def test_layers_known():
    "Every exported module belongs to a known layer."
    found = {_layer(n) for n, _ in _modules()}
    assert 'core' in found and 'data' in found, found

@pytest.mark.parametrize('name,path', list(_modules()), ids=lambda v: v if isinstance(v, str) else '')
def test_imports_go_down(name, path):
    me = LEVEL[_layer(name)]
    up = sorted({m for m in _imports(name, path) if m.startswith('skelnb') and _layer(m) and LEVEL[_layer(m)] > me})
    assert not up, f"{name} (layer {_layer(name)}) imports from a higher layer: {up}"

def test_checker_catches_upward_import(tmp_path):
    "The parser sees relative and absolute upward imports (so the test above can fail)."
    p = tmp_path / 'x.py'
    p.write_text('from ..viz import plot\nimport skelnb.dashboards\nfrom .sttformer import Block\n')
    got = set(_imports('skelnb.models.x', p))
    assert 'skelnb.viz' in got and 'skelnb.dashboards' in got and 'skelnb.models.sttformer' in got

@pytest.mark.parametrize('mod', ['skelnb.core', 'skelnb.data', 'skelnb.masking', 'skelnb.models', 'skelnb.training'])
def test_light_layers_stay_light(mod):
    if not (LIB / mod.split('.')[-1]).exists() and not (LIB / (mod.split('.')[-1] + '.py')).exists():
        pytest.skip(f'{mod} not built yet')
    code = f"import sys, {mod}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == '', f'import {mod} pulled in {out.stdout.strip()}'
