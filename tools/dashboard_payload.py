#!/usr/bin/env python
# usage: python tools/dashboard_payload.py  -- websocket payload of the stress page's dashboards: widget state at display, and one frame-slider move
"""What the stress fixture's eleven dashboards send to the browser: the widget state of every PlotlyView (and the shared
plotly.js library) when displayed, and the messages of one frame-slider move, in characters of JSON."""
import json
import torch
from skelnb.data import synthetic_actions
from skelnb.models.mae import SkeletonMAE, SkeletonMVAE, SkeletonMVQVAE
from skelnb.dashboards import MaskingExplorer, ReconstructionViewer, LatentExplorer, PlotlyView
torch.manual_seed(0)
acts = synthetic_actions(28, T=32, seed=0)
kw = dict(frames=32, attention='softmax')
models = {'MAE': SkeletonMAE.tiny('ntu25', **kw), 'MVAE': SkeletonMVAE.tiny('ntu25', **kw), 'MVQVAE': SkeletonMVQVAE.tiny('ntu25', **kw)}
sent = []
orig_send = PlotlyView.send
def spy(self, content, buffers=None): sent.append(len(json.dumps(content))); return orig_send(self, content, buffers)
PlotlyView.send = spy
boards = [MaskingExplorer(acts, sample=i % 4, seed=i, height=320) for i in range(6)] + [ReconstructionViewer(models, acts, sample=s) for s in (1, 2)] \
         + [LatentExplorer(models, acts), LatentExplorer(models, acts, color='subject'), MaskingExplorer(acts, sample=3, seed=7)]
views = [w for b in boards for w in vars(b).values() if isinstance(w, PlotlyView)]
state = sum(len(v._esm) + len(v.spec) for v in views) + len(views[0].library.source)
esm_once = len(views[0]._esm)
m = boards[0]; spec0 = len(m.view.spec); sent.clear()
m.frame.value = 1
move = sum(sent)
print(json.dumps({'views': len(views), 'state_chars': state, 'plotly_js_chars': len(views[0].library.source), 'view_esm_chars': esm_once,
                  'slider_move_chars': move, 'full_spec_chars_of_that_view': spec0,
                  'before_state_chars_estimate': sum(len(v._esm) + len(v.spec) for v in views) + len(views) * len(views[0].library.source),
                  'note': 'before = every view carried plotly.js in its _esm and each move resent the full spec'}))
