"""Build a browsable static site from the notebooks, without quarto: `make docs` -> _site/index.html.

A tutorial (a notebook with a `FULL =` switch) is rendered with its stored outputs, made with `FULL = True`, which
takes seconds; the other notebooks (the library, quick to run) are executed in a scratch copy. `--execute all` re-executes every
notebook (slow: the tutorials then run their quick settings unless edited), `--execute none` executes nothing. nbdev directives are applied (`#| hide`
cells dropped, directive lines stripped), plotly figures are rendered with one shared local copy of plotly.js,
and an API reference is generated from the docstrings and docments of every exported symbol.
Widgets need a live kernel: in the static pages they are replaced by a note (use `make lab` for them).
"""
import argparse, html, importlib, inspect, json, os, re, shutil, sys, tempfile, time
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVE = re.compile(r'^\s*#\|\s*(.*)$')
WIDGET = 'application/vnd.jupyter.widget-view+json'
PLOTLY = 'application/vnd.plotly.v1+json'

def notebooks(only=None):
    nbs = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
    return [p for p in nbs if not only or any(o in p.name for o in only)]

def execute(nb, path, timeout):
    from nbclient import NotebookClient
    env_before = os.environ.get('PLOTLY_RENDERER')
    os.environ['PLOTLY_RENDERER'] = 'json'  # figures as plotly JSON, rendered below with the shared plotly.js
    try: NotebookClient(nb, timeout=timeout, resources={'metadata': {'path': str(path.parent)}}).execute()
    finally:
        if env_before is None: os.environ.pop('PLOTLY_RENDERER', None)
        else: os.environ['PLOTLY_RENDERER'] = env_before
    return nb

def apply_directives(nb):
    "Drop `#| hide` cells and strip directive lines, as nbdev's docs do."
    cells = []
    for c in nb.cells:
        lines = c.source.splitlines()
        dirs = [DIRECTIVE.match(l).group(1).strip() for l in lines if DIRECTIVE.match(l)]
        if any(d.startswith('hide') or d.startswith('default_exp') and len(lines) == 1 for d in dirs): continue
        c.source = '\n'.join(l for l in lines if not DIRECTIVE.match(l)).strip('\n')
        if c.cell_type == 'code' and 'echo: false' in dirs: c.metadata['jupyter'] = {'source_hidden': True}
        if c.cell_type == 'code' and not c.source and not c.get('outputs'): continue
        for o in c.get('outputs', []) if c.cell_type == 'code' else []:
            data = o.get('data', {})
            if PLOTLY in data:
                fig = data[PLOTLY]; div = f"plotly-{id(o)}"
                data.clear()
                data['text/html'] = (f'<div id="{div}" style="width:100%;height:{fig.get("layout", {}).get("height", 480)}px"></div>'
                                     f'<script>Plotly.newPlot("{div}", {json.dumps(fig["data"])}, {json.dumps(fig.get("layout", {}))});</script>')
            elif WIDGET in data:
                data.clear(); data['text/html'] = '<p><em>(interactive widget: open this notebook in JupyterLab, `make lab`, to use it)</em></p>'
        cells.append(c)
    nb.cells = cells
    return nb

def title_of(nb, fallback):
    for c in nb.cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return fallback

NAV = '<nav style="padding:.5em 1em;background:#f4f4f4;border-bottom:1px solid #ddd"><a href="index.html">skelnb</a> · <a href="api.html">API reference</a></nav>'

def api_reference():
    "HTML of every exported symbol: signature, docstring, documented parameters."
    from fastcore.docments import docments
    out = ['<h1>API reference</h1>']
    from skelnb._modidx import d
    for mod in sorted(d['syms']):
        try: m = importlib.import_module(mod)
        except Exception as e: out.append(f'<h2>{mod}</h2><p>could not import: {html.escape(str(e))}</p>'); continue
        names = getattr(m, '__all__', [])
        if not names: continue
        out.append(f'<h2 id="{mod}">{mod}</h2>')
        for n in names:
            obj = getattr(m, n, None)
            if obj is None: continue
            try: sig = str(inspect.signature(obj)) if callable(obj) else ''
            except (TypeError, ValueError): sig = ''
            doc = inspect.getdoc(obj) or ''
            kind = 'class' if inspect.isclass(obj) else 'def' if callable(obj) else 'const'
            out.append(f'<h3 id="{mod}.{n}"><code>{kind} {n}{html.escape(sig)}</code></h3><p>{html.escape(doc.splitlines()[0] if doc else "")}</p>')
            if callable(obj):
                try: dm = docments(obj, full=False)
                except Exception: dm = {}
                rows = [(k, v) for k, v in dm.items() if v and k != 'return']
                if rows: out.append('<table>' + ''.join(f'<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(str(v))}</td></tr>' for k, v in rows) + '</table>')
    return '\n'.join(out)

def wrap(body, title):
    style = 'body{font-family:system-ui,sans-serif;max-width:70em;margin:auto;padding:0 1em}table{border-collapse:collapse}td{border:1px solid #ddd;padding:2px 6px}'
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)} · skelnb</title>'
            f'<style>{style}</style></head><body>{NAV}{body}</body></html>')

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(ROOT/'_site'))
    ap.add_argument('--execute', choices=('auto', 'all', 'none'), default='auto', help='auto: only notebooks without stored outputs')
    ap.add_argument('--only', nargs='*'); ap.add_argument('--timeout', type=int, default=1200)
    a = ap.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    from plotly.offline import get_plotlyjs
    (out/'plotly.min.js').write_text(get_plotlyjs(), encoding='utf-8')
    exporter = HTMLExporter(template_name='classic')
    entries, failed = [], []
    for p in notebooks(a.only):
        t = time.time()
        nb = nbformat.read(p, as_version=4)
        stored = any(c.get('outputs') for c in nb.cells if c.cell_type == 'code') and \
                 any(c.cell_type == 'code' and c.source.startswith('FULL =') for c in nb.cells)  # a tutorial's full-run outputs
        if a.execute == 'all' or (a.execute == 'auto' and not stored):
            try: nb = execute(nb, p, a.timeout)
            except Exception as e:
                failed.append(p.name); print(f'FAILED {p.name}: {str(e)[:300]}', file=sys.stderr)
        title = title_of(nb, p.stem)
        body, _ = exporter.from_notebook_node(apply_directives(nb))
        body = body.replace('<head>', '<head><script src="plotly.min.js"></script>', 1)
        body = re.sub(r'(<body[^>]*>)', r'\1' + NAV, body, count=1)
        name = p.stem + '.html'; (out/name).write_text(body, encoding='utf-8')
        entries.append((name, title, p.name)); print(f'{p.name} -> {name} ({time.time()-t:.0f}s)', flush=True)
    (out/'api.html').write_text(wrap(api_reference(), 'API reference'), encoding='utf-8')
    items = ''.join(f'<li><a href="{n}">{html.escape(t)}</a> <small>({src})</small></li>' for n, t, src in entries)
    (out/'index.html').write_text(wrap(f'<h1>skelnb documentation</h1><p>Built from the notebooks in <code>nbs/</code>. '
                                       f'<a href="api.html">API reference</a>.</p><ul>{items}</ul>', 'skelnb'), encoding='utf-8')
    print(f'wrote {out}/index.html ({len(entries)} pages{", failed: " + ", ".join(failed) if failed else ""})')
    sys.exit(1 if failed else 0)

if __name__ == '__main__': main()
