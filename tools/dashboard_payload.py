#!/usr/bin/env python
# usage: python tools/dashboard_payload.py  -- websocket payload of the stress page's dashboards: widget state at display, and one frame-slider move
"""What the stress fixture's eleven dashboards send to the browser: the widget state of every PlotlyView (and the shared
plotly.js library) when displayed, and the messages of one frame-slider move, in characters of JSON."""
import json
from pathlib import Path
import torch
import skelnb
from skelnb.data import synthetic_actions
from skelnb.models.mae import SkeletonMAE, SkeletonMVAE, SkeletonMVQVAE
from skelnb.dashboards import MaskingExplorer, ReconstructionViewer, LatentExplorer, PlotlyView, FigureState
torch.manual_seed(0)
acts = synthetic_actions(28, T=32, seed=0)
kw = dict(frames=32, attention='softmax')
models = {'MAE': SkeletonMAE.tiny('ntu25', **kw), 'MVAE': SkeletonMVAE.tiny('ntu25', **kw), 'MVQVAE': SkeletonMVQVAE.tiny('ntu25', **kw)}
sent = []
orig_send = FigureState.send_state  # the figures travel as FigureState's state (spec, patch)
def spy(self, key=None): sent.append(len(json.dumps(self.get_state(key), default=str))); return orig_send(self, key)
FigureState.send_state = spy
boards = [MaskingExplorer(acts, sample=i % 4, seed=i, height=320) for i in range(6)] + [ReconstructionViewer(models, acts, sample=s) for s in (1, 2)] \
         + [LatentExplorer(models, acts), LatentExplorer(models, acts, color='subject'), MaskingExplorer(acts, sample=3, seed=7)]
views = [w for b in boards for w in vars(b).values() if isinstance(w, PlotlyView)]
state = sum(len(v.spec) for v in views) + len(views[0].library.source)  # the views' code is not widget state: it comes with the page
ext = Path(skelnb.__file__).parent / 'labextension' / 'static'
code_once = sum(len(p.read_text()) for p in ext.glob('*.js'))  # skelnb's JupyterLab extension, loaded once per page
m = boards[0]; spec0 = len(m.view.spec); sent.clear()
m.frame.value = 1
move = sum(sent)
print(json.dumps({'views': len(views), 'state_chars': state, 'plotly_js_chars': len(views[0].library.source), 'view_code_chars_once_per_page': code_once,
                  'slider_move_chars': move, 'full_spec_chars_of_that_view': spec0,
                  'before_state_chars_estimate': sum(len(v.spec) for v in views) + len(views) * len(views[0].library.source),
                  'note': 'before = every view carried plotly.js in its own state and each move resent the full spec'}))
