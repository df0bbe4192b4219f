#!/usr/bin/env python
# usage: python tools/stream_stats.py DATA OUT.json [STREAM ...]  -- how predictable each input stream is, frame to frame (default: joint bone motion)
"""Per input stream of a dataset: the mean square of the valid values, and the lag-1 autocorrelation along time of the
values whose frame and next frame are both present. Motion that is mostly tracking jitter has a negative one."""
import json, sys
import numpy as np
from skelnb.core import atomic_write_json
from skelnb.training.registry import load_data

if len(sys.argv) < 3: sys.exit('usage: python tools/stream_stats.py DATA OUT.json [STREAM ...]')
spec, out = sys.argv[1], sys.argv[2]
res = {'data': spec}
for stream in sys.argv[3:] or ('joint', 'bone', 'motion'):
    x = load_data(f'{spec}?stream={stream}').x
    a, b = x[:, :, :-1], x[:, :, 1:]
    ok = (a != 0) & (b != 0)
    res[stream] = {'mean_square': float((x[x != 0] ** 2).mean()), 'lag1_autocorrelation': float(np.corrcoef(a[ok], b[ok])[0, 1])}
atomic_write_json(out, res)
print(json.dumps(res))
