"""Render nbs/index.ipynb to README.md without quarto.

`#| hide` cells are dropped, other nbdev directives are stripped, code cells become
```python fences followed by their text outputs. `--check` exits 1 when README.md differs.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVE = re.compile(r'^\s*#\|\s*(.*)$')

def _directives(src):
    "Split nbdev `#|` directives from the rest of a cell's source."
    lines = src.splitlines()
    dirs = [DIRECTIVE.match(l).group(1).strip() for l in lines if DIRECTIVE.match(l)]
    body = [l for l in lines if not DIRECTIVE.match(l)]
    return dirs, '\n'.join(body).strip('\n')

def _outputs(cell):
    "Text outputs of a code cell, as markdown."
    parts = []
    for o in cell.get('outputs', []):
        if o['output_type'] == 'stream' and o.get('name') == 'stdout': parts.append(''.join(o['text']))
        elif o['output_type'] in ('execute_result', 'display_data'):
            d = o.get('data', {})
            if 'text/markdown' in d: parts.append(''.join(d['text/markdown'])); continue
            if 'text/plain' in d: parts.append(''.join(d['text/plain']))
    return [p.rstrip('\n') for p in parts if p.strip()]

def render(nb_path=ROOT/'nbs'/'index.ipynb'):
    "README markdown for the notebook at `nb_path`."
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    out = ['<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->']
    for cell in nb['cells']:
        src = ''.join(cell['source'])
        dirs, body = _directives(src)
        if any(d.startswith('hide') for d in dirs): continue
        if cell['cell_type'] == 'markdown': out.append(body)
        elif cell['cell_type'] == 'code':
            if 'echo: false' not in dirs and body.strip(): out.append(f'```python\n{body}\n```')
            for text in _outputs(cell):
                md = any('text/markdown' in o.get('data', {}) for o in cell.get('outputs', []))
                out.append(text if md else f'```\n{text}\n```')
    return '\n\n'.join(out).rstrip() + '\n'

if __name__ == '__main__':
    text, readme = render(), ROOT/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            sys.exit('README.md is out of step with nbs/index.ipynb: run `python tools/make_readme.py`')
        print('README.md in step with nbs/index.ipynb')
    else:
        readme.write_text(text, encoding='utf-8'); print(f'wrote {readme}')
