// The browser side of skelnb.dashboards.PlotlyView: draws a FigureState's plotly figure and applies its diffs.
// Built into skelnb/labextension by `python tools/build_js.py`; JupyterLab, Notebook 7 and Voila load it once per page.
function plotlyFrom(model) {  // plotly.js, evaluated once per page from the shared library widget
  if (!globalThis.__skelnbPlotly) {
    globalThis.__skelnbPlotly = (async () => {
      const lib = await modelOf(model, 'library');
      const text = 'const module = { exports: {} };\n(function (module, exports, define) {\n' + lib.get('source') +
                   '\n}).call(globalThis, module, module.exports, undefined);\nexport default module.exports;\n';
      const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
      try { return (await import(/* webpackIgnore: true */ url)).default; } finally { URL.revokeObjectURL(url); }
    })();
    globalThis.__skelnbPlotly.catch(() => { globalThis.__skelnbPlotly = null; });  // a failed load can be retried
  }
  return globalThis.__skelnbPlotly;
}

function modelOf(model, name) {  // the widget model a reference trait points to
  return model.widget_manager.get_model(String(model.get(name)).replace(/^IPY_MODEL_/, ''));
}

function takeTurn(job) {  // page-wide: one draw at a time, each in its own task and followed by a rest as long as it took (at most 1 s),
  // so the page's main thread is never busy drawing more than half the time and other widgets start up in between
  const idle = () => new Promise(r => (globalThis.requestIdleCallback ? requestIdleCallback(r, { timeout: 200 }) : setTimeout(r, 0)));
  const turn = (globalThis.__skelnbTurn || Promise.resolve()).then(idle).then(async () => {
    const t0 = performance.now();
    try { await job(); } catch (e) { console.warn('[skelnb] draw failed', e); }
    await new Promise(r => setTimeout(r, Math.min(performance.now() - t0, 1000)));
  });
  globalThis.__skelnbTurn = turn;
  return turn;
}

const CONTROL_KEYS = ['Left', 'Right', 'Up', 'Down', 'PageUp', 'PageDown', 'Home', 'End'];  // the keys a noUiSlider handle takes (a closed <select> too: another option)
const DASHBOARDS = '.skelnb-masking-explorer, .skelnb-reconstruction-viewer, .skelnb-latent-explorer, .skelnb-training-monitor, .skelnb-behaviour-map';

function keysToControls() {  // page-wide, once: a slider or menu key pressed on a dashboard's slider or menu goes to it, not to a shortcut.
  // Notebook 7 runs its shortcuts as the key travels down to the handle (JupyterLab on the way back up, after the slider has
  // taken it), so there ArrowRight moved the notebook's cell cursor and never reached the slider. Lumino skips its key bindings
  // for a target marked data-lm-suppress-shortcuts: the window sees the key first and sets the mark for such a key, clears it
  // for any other key (which keeps its shortcut).
  if (globalThis.__skelnbKeys) return;
  globalThis.__skelnbKeys = true;
  globalThis.addEventListener('keydown', (e) => {
    // A focused drop-down menu (<select>) lost ArrowDown the same way, in JupyterLab too: the notebook moved its cell cursor.
    const h = e.target instanceof Element ? e.target.closest('.noUi-handle, select') : null;
    if (h && h.closest(DASHBOARDS)) h.toggleAttribute('data-lm-suppress-shortcuts', CONTROL_KEYS.includes(String(e.key).replace('Arrow', '')));
  }, true);
}

async function render({ model, el }) {
  keysToControls();
  const div = document.createElement('div');
  div.className = 'skelnb-plot';
  el.appendChild(div);
  let fig = {}, version = -1, queued = false, linking = false, hooked = false, gone = false, Plotly = null;
  const link = (ev) => {
    if (linking || !model.get('link_cameras')) return;
    const key = Object.keys(ev).find(k => /^scene\d*\.camera$/.test(k));
    if (!key) return;
    const src = key.split('.')[0], upd = {};
    for (const k of Object.keys(div._fullLayout || {})) if (/^scene\d*$/.test(k) && k !== src) upd[k + '.camera'] = ev[key];
    linking = true;
    Plotly.relayout(div, upd).finally(() => { linking = false; });
  };
  const draw = () => {
    if (gone || !Plotly || queued) return;
    queued = true;
    takeTurn(() => {
      queued = false;
      if (gone) return;
      const v = version;
      return Plotly.react(div, fig.data || [], fig.layout || {}, { displaylogo: false, responsive: true })
        .then(() => {
          if (!hooked) {
            div.on('plotly_relayout', link);
            div.on('plotly_click', ev => {  // a point with customdata: tell the kernel (e.g. which bout to play)
              const p = ev && ev.points && ev.points[0];
              if (p && p.customdata !== undefined && p.customdata !== null && p.data && p.data.meta === 'pick') state.send({ skelnb: 1, type: 'click', point: p.customdata });
            });
            hooked = true;
          }
          div.dataset.drawn = v;
        });
    });
  };
  const state = await modelOf(model, 'state');
  const patch = (obj, upd) => { for (const [k, v] of Object.entries(upd || {})) { if (v === null) delete obj[k]; else obj[k] = v; } };
  const onSpec = () => {  // a whole figure
    if (state.get('version') === version) return;
    fig = JSON.parse(state.get('spec') || '{}'); version = state.get('version'); onPatch();
    draw();
  };
  const onPatch = () => {  // a diff against version `base`
    const p = JSON.parse(state.get('patch') || 'null');
    if (!p) return;
    div.dataset.latest = p.version;
    if (p.version === version) return;
    if (p.base !== version) { state.send({ skelnb: 1, type: 'sync', have: version }); return; }  // missed one: ask for all
    (p.traces || []).forEach((upd, i) => { if (upd && fig.data[i]) patch(fig.data[i], upd); });
    fig.layout = fig.layout || {}; patch(fig.layout, p.layout);
    version = p.version; draw();
  };
  state.on('change:spec change:version', onSpec);  // listening before plotly.js is there: nothing sent meanwhile is missed
  // (the version too: a resend of a spec equal to the one held changes only the version)
  state.on('change:patch', onPatch);
  const cleanup = () => { gone = true; state.off('change:spec change:version', onSpec); state.off('change:patch', onPatch); if (Plotly) Plotly.purge(div); };
  onSpec();
  try { Plotly = await plotlyFrom(model); } catch (e) { cleanup(); throw e; }  // no listeners left behind when plotly.js fails to load
  draw();
  return cleanup;
}
export { render };
