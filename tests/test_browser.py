"""The dashboards as a person sees them: JupyterLab on 127.0.0.1 and headless Chromium.

The test starts JupyterLab itself (free port, no token, a scratch root folder holding a copy of
nbs/fixtures/_dashboards_browser.ipynb), opens the notebook, runs all cells, and checks that every dashboard
rendered: plotly 3D canvases with the skeleton drawn in them (not blank, no "WebGL is not supported"), the sliders,
no traceback or widget error box. Then it moves the frame sliders and the latent explorer's colour menu and checks
that the figures changed. Screenshots go to test_out/screenshots/.

Skipped (with the reason) when Chromium or Playwright is missing: `apt-get install -y chromium`,
`pip install playwright` (the system Chromium is used; no browser download). SKELNB_CHROMIUM overrides the
browser path, SKELNB_BROWSER_TIMEOUT (seconds, default 600) the wait for the notebook to run.
"""
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path
import numpy as np
import pytest
from jupyter_helpers import jupyter_server

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / 'nbs' / 'fixtures' / '_dashboards_browser.ipynb'
SHOTS = ROOT / 'test_out' / 'screenshots'
CHROMIUM = os.environ.get('SKELNB_CHROMIUM') or shutil.which('chromium') or '/usr/bin/chromium'
TIMEOUT = float(os.environ.get('SKELNB_BROWSER_TIMEOUT', 600))
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader']
BLUE, RED = (31, 119, 180), (214, 39, 40)  # body colours of skelnb.viz (bodies 0 and 1)
LAB_SETTINGS = {  # JupyterLab user settings for the scratch server: no news toast, every cell rendered
    '@jupyterlab/apputils-extension/notification.jupyterlab-settings': {'fetchNews': 'false', 'checkForUpdates': False},
    '@jupyterlab/notebook-extension/tracker.jupyterlab-settings': {'windowingMode': 'none'},
}


def _pixels_like(png: bytes, rgb, tol: int = 40) -> int:
    "How many pixels of a PNG are within `tol` of colour `rgb`."
    from PIL import Image
    import io
    a = np.asarray(Image.open(io.BytesIO(png)).convert('RGB')).astype(int)
    return int((np.abs(a - np.array(rgb)).sum(-1) < tol).sum())


def _changed(a: bytes, b: bytes) -> float:
    "Share of pixels that differ between two PNGs of the same element."
    from PIL import Image
    import io
    x, y = (np.asarray(Image.open(io.BytesIO(p)).convert('RGB')).astype(int) for p in (a, b))
    if x.shape != y.shape: return 1.
    return float((np.abs(x - y).sum(-1) > 30).mean())


@pytest.fixture(scope='module')
def lab():
    "A JupyterLab server on 127.0.0.1 (started and stopped here) serving a scratch copy of the fixture notebook."
    if not Path(CHROMIUM).exists():
        pytest.skip(f'Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` (or set SKELNB_CHROMIUM)')
    pytest.importorskip('playwright.sync_api', reason='playwright is not installed (pip install playwright)')
    work = Path(tempfile.mkdtemp(prefix='skelnb-lab-'))
    nb = json.loads(FIXTURE.read_text())
    nb['metadata']['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'}
    (work / 'root').mkdir()
    (work / 'root' / 'dashboards.ipynb').write_text(json.dumps(nb))
    try:
        with jupyter_server(work, LAB_SETTINGS) as base: yield base
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope='module')
def page(lab):
    "The fixture notebook opened in headless Chromium, all cells run."
    from playwright.sync_api import sync_playwright
    SHOTS.mkdir(parents=True, exist_ok=True)
    udd = tempfile.mkdtemp(prefix='chromium-udd-')
    errors = []
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(udd, executable_path=CHROMIUM, headless=True, args=FLAGS,
                                                   viewport={'width': 1400, 'height': 1000})
        try:
            pg = ctx.pages[0] if ctx.pages else ctx.new_page()
            pg.on('console', lambda m: m.type == 'error' and errors.append(m.text))
            T = TIMEOUT * 1000
            try:
                pg.goto(f'{lab}/lab/tree/dashboards.ipynb', timeout=T)
                pg.wait_for_selector('.jp-Notebook', timeout=T)
                # the toolbar says "idle" before a kernel exists: wait until the kernel has answered its info request
                pg.wait_for_function('() => window.jupyterapp && window.jupyterapp.shell.currentWidget', timeout=T)
                pg.evaluate('''async () => { const nb = window.jupyterapp.shell.currentWidget; await nb.sessionContext.ready;
                                             await nb.sessionContext.session.kernel.info; }''')
                pg.evaluate('() => { window.jupyterapp.commands.execute("notebook:run-all-cells"); }')  # Run > Run All Cells
                pg.locator('.jp-OutputArea-output', has_text='ALL DASHBOARDS BUILT').first.wait_for(timeout=T)
                for cls in ('masking-explorer', 'reconstruction-viewer', 'latent-explorer', 'training-monitor', 'behaviour-map'):
                    pg.locator(f'.skelnb-{cls} .js-plotly-plot').first.wait_for(timeout=T)
                pg.wait_for_timeout(3000)  # let plotly finish drawing WebGL
            except Exception:
                pg.screenshot(path=str(SHOTS / 'failed_setup.png'))
                raise
            pg.console_errors = errors
            yield pg
        finally:
            ctx.close()
    shutil.rmtree(udd, ignore_errors=True)


def test_no_error_boxes(page):
    "No traceback, widget error box or WebGL failure anywhere on the page."
    for text in ('Traceback', 'Error displaying widget', 'WebGL is not supported', 'Failed to load model class'):
        assert page.locator('.jp-OutputArea-output', has_text=text).count() == 0, f'the page shows {text!r}'
    page.screenshot(path=str(SHOTS / 'lab_page.png'))


@pytest.mark.parametrize('cls,scenes,sliders', [('masking-explorer', 1, 5), ('reconstruction-viewer', 4, 4)])
def test_3d_dashboards_render(page, cls, scenes, sliders):
    "The 3D dashboards show their sliders and WebGL scenes, with the skeleton drawn in the scene (not blank)."
    w = page.locator(f'.skelnb-{cls}')
    assert w.count() == 1
    assert w.locator('.widget-slider').count() >= sliders
    assert w.locator('.js-plotly-plot .gl-container canvas').count() >= scenes
    shot = w.screenshot(path=str(SHOTS / f'{cls}.png'))
    canvas = w.locator('.js-plotly-plot .gl-container canvas').first.screenshot()
    assert _pixels_like(canvas, BLUE) + _pixels_like(canvas, RED) > 30, 'no skeleton pixels in the 3D scene'
    assert len(shot) > 10_000


def _move_frame(page, cls, steps):
    "Focus a dashboard's frame slider and press ArrowRight `steps` times; returns (title before, title after, png before, png after)."
    w = page.locator(f'.skelnb-{cls}')
    title = w.locator('.js-plotly-plot .gtitle').first
    plot = w.locator('.js-plotly-plot').first
    before, png0 = title.text_content(), plot.screenshot()
    handle = w.locator('.skelnb-frame .noUi-handle').first
    handle.click()
    handle.press('Home')
    for _ in range(steps): handle.press('ArrowRight')
    page.wait_for_function('([sel, s]) => document.querySelector(sel).textContent.includes(s)',
                           arg=[f'.skelnb-{cls} .js-plotly-plot .gtitle', f'frame {steps}'], timeout=60_000)
    page.wait_for_timeout(1500)
    return before, title.text_content(), png0, plot.screenshot()


def test_masking_frame_slider_changes_figure(page):
    before, after, png0, png1 = _move_frame(page, 'masking-explorer', 5)
    page.locator('.skelnb-masking-explorer').screenshot(path=str(SHOTS / 'masking-explorer_frame5.png'))
    assert 'frame 5' in after and after != before
    assert _changed(png0, png1) > 0.001, 'the 3D view did not change when the frame moved'


def test_masking_grid_orientation_and_key(page):
    "The mask grid says what its axes are (frames across, joints down) and which colour is hidden and which visible."
    plot = page.locator('.skelnb-masking-explorer .js-plotly-plot').first
    assert plot.locator('.xtitle').first.text_content() == 'frame'
    assert plot.locator('.ytitle').first.text_content() == 'joint'
    key = ' '.join(t.text_content() for t in plot.locator('.annotation-text').all())
    assert 'visible' in key and 'hidden' in key, key


def test_reconstruction_frame_slider_changes_figure(page):
    before, after, png0, png1 = _move_frame(page, 'reconstruction-viewer', 3)
    page.locator('.skelnb-reconstruction-viewer').screenshot(path=str(SHOTS / 'reconstruction-viewer_frame3.png'))
    assert 'frame 3' in after and after != before
    assert _changed(png0, png1) > 0.001


def _legend_hidden(w) -> int:
    "How many legend entries of a dashboard's first plot lie outside the legend's visible box (scrolled away)."
    box = w.locator('.js-plotly-plot .legend .bg').first.bounding_box()
    out = 0
    for t in w.locator('.js-plotly-plot .legend .traces').all():
        b = t.bounding_box()
        out += b is None or b['y'] < box['y'] - 1 or b['y'] + b['height'] > box['y'] + box['height'] + 1
    return out


def test_reconstruction_dropped_frame(page):
    "On a dropped frame the masked-input panel keeps its axes, shows a ghost of the pose and says the frame was dropped."
    out = page.locator('.jp-OutputArea-output', has_text='FIRST DROPPED FRAME').first.text_content()
    t = int(out.split('FIRST DROPPED FRAME')[1].split()[0])
    _move_frame(page, 'reconstruction-viewer', t)
    w = page.locator('.skelnb-reconstruction-viewer')
    w.screenshot(path=str(SHOTS / 'reconstruction-viewer_dropped.png'))
    labels = [a.text_content() for a in w.locator('.js-plotly-plot .annotation-text').all()]
    assert 'frame dropped (hidden from the encoder)' in labels, labels
    png = w.locator('.js-plotly-plot .gl-container #scene2').first.screenshot()
    from PIL import Image
    import io
    a = np.asarray(Image.open(io.BytesIO(png)).convert('RGB')).astype(int)
    ghost = int(((a[..., 2] - a[..., 0]) > 35).sum())  # the ghost is light blue on the grey-blue scene (blue - red: 17)
    assert ghost + _pixels_like(png, (255, 180, 180), 60) > 30, 'no ghost of the dropped pose in the masked-input panel'


def test_latent_explorer_recolours(page):
    "The latent explorer shows one legend entry per class, all visible (none scrolled away), then per subject after choosing 'subject'."
    w = page.locator('.skelnb-latent-explorer')
    w.scroll_into_view_if_needed()
    w.screenshot(path=str(SHOTS / 'latent-explorer.png'))
    n_class = w.locator('.js-plotly-plot .legend .traces').count()
    assert n_class >= 12, n_class  # the fixture's data hold 14 classes
    assert _legend_hidden(w) == 0, f'{_legend_hidden(w)} of {n_class} legend entries are scrolled out of view'
    points = w.locator('.js-plotly-plot').first.locator('.scatterlayer path.point')
    n_points = points.count()
    assert n_points >= 20, f'the latent scatter shows {n_points} points'  # an empty plot with a legend is a failure
    w.locator('select').first.select_option('subject')
    page.wait_for_function('sel => document.querySelector(sel).textContent.includes("subject")',
                           arg='.skelnb-latent-explorer .js-plotly-plot .gtitle', timeout=60_000)
    page.wait_for_timeout(1000)
    w.screenshot(path=str(SHOTS / 'latent-explorer_subject.png'))
    assert w.locator('.js-plotly-plot .legend .traces').count() != n_class or 'subject' in w.locator('.legendtitletext').first.text_content()
    assert points.count() == n_points, 'recolouring changed the number of points drawn'


def test_training_monitor_draws_curves(page):
    w = page.locator('.skelnb-training-monitor')
    w.screenshot(path=str(SHOTS / 'training-monitor.png'))
    names = [t.text_content() for t in w.locator('.legendtext').all()]
    assert {'batch loss', 'train_loss', 'valid_loss'} <= set(names), names
    assert 'train_recon' not in names, names  # a one-part loss: its part is the total, not drawn twice
    assert w.locator('.cartesianlayer > g.subplot').count() == 1  # no metrics: one loss panel, full width
    drawn = [p.get_attribute('d') or '' for p in w.locator('.scatterlayer path.js-line').all()]
    assert sum(len(d) > 20 for d in drawn) >= 2, f'no curves drawn: {drawn}'
    assert 'train_loss' in w.locator('.widget-label').first.text_content()


def test_behaviour_map_click_plays_that_bout(page):
    "Clicking a point of the behaviour map plays that bout: the kernel gets the click and the skeleton panel's title follows."
    w = page.locator('.skelnb-behaviour-map')
    w.scroll_into_view_if_needed()
    title = w.locator('.js-plotly-plot').nth(1).locator('.gtitle')
    before = title.text_content()
    pt = w.locator('.js-plotly-plot').first.locator('.scatterlayer .trace').nth(1).locator('path.point').nth(2)
    pt.click(force=True)
    page.wait_for_function('([sel, old]) => { const t = document.querySelectorAll(sel)[1]; return t && t.textContent !== old; }',
                           arg=['.skelnb-behaviour-map .js-plotly-plot .gtitle', before], timeout=60_000)
    after = title.text_content()
    assert after.startswith('bout ') and after != before, (before, after)
    page.wait_for_timeout(500)
    w.screenshot(path=str(SHOTS / 'behaviour-map_clicked.png'))
    assert not [e for e in page.console_errors if 'skelnb' in e.lower()], page.console_errors
