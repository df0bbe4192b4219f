"""The dashboards' browser side: skelnb's JupyterLab extension `skelnb-widgets` is built from js/ and installed where
JupyterLab, Notebook 7 and Voila look for it (`make install` copies it there; so does a wheel, as data files)."""
import json, re, subprocess, sys
import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'tools'))
import build_js


def test_build_is_current():
    "The committed build was made from the committed sources (js/src, package.json, package-lock.json)."
    assert build_js.is_current(), 'skelnb/labextension is older than js/: run python tools/build_js.py and commit the result'


def test_check_names_a_stale_build(tmp_path, monkeypatch):
    "A build stamped with other sources fails the check, and the message names the command."
    monkeypatch.setattr(build_js, 'STAMP', tmp_path / 'source.sha256')
    (tmp_path / 'source.sha256').write_text('0' * 64 + '\n')
    assert not build_js.is_current()
    with pytest.raises(SystemExit) as e: build_js.main(['--check'])
    assert 'older than js/ (run: python tools/build_js.py)' in str(e.value.code)


def test_versions_agree():
    "The widget version the kernel asks for admits the one the extension registers, and the names match."
    from skelnb.dashboards import WIDGETS_MODULE, WIDGETS_VERSION
    pkg = json.loads((ROOT / 'js' / 'package.json').read_text())
    built = json.loads((ROOT / 'skelnb' / 'labextension' / 'package.json').read_text())
    js = (ROOT / 'js' / 'src' / 'widget.js').read_text()
    registered = re.search(r"VERSION = '([^']+)'", js).group(1)
    assert (pkg['name'], built['name'], re.search(r"NAME = '([^']+)'", js).group(1)) == (WIDGETS_MODULE,) * 3
    assert pkg['version'] == built['version'] == registered
    assert WIDGETS_VERSION == '^' + registered  # a caret range of the registered version: same major and minor for 0.x


def test_installed_where_front_ends_look():
    "`jupyter labextension list` (the list JupyterLab, Notebook 7 and Voila load) shows it enabled and OK."
    r = subprocess.run([str(Path(sys.executable).parent / 'jupyter'), 'labextension', 'list'], capture_output=True, text=True)
    out = re.sub(r'\x1b\[[0-9;]*m', '', r.stdout + r.stderr)
    assert re.search(r'skelnb-widgets v\S+ enabled\s+OK', out), out[-2000:]
    assert build_js.installed_is_current(), f'{build_js.installed_dir()} differs from skelnb/labextension: run python tools/build_js.py --install'

