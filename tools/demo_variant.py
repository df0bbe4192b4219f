#!/usr/bin/env python
# usage: python tools/demo_variant.py '{"predict": "residual"}' OUT.json   -- the demo's run with model fields changed for all three models
"The `make demo` run (`skelnb.demo.run_demo`, full settings, one thread) with extra `MAEConfig` fields for SkeletonMAE, SkeletonMVAE and SkeletonMVQVAE."
import json, sys, torch
from skelnb.core import atomic_write_json
torch.set_num_threads(1)
from skelnb.demo import demo_settings, run_demo, DEMO_OVERRIDES
if len(sys.argv) != 3: sys.exit(__doc__ + "\nusage: python tools/demo_variant.py JSON_FIELDS OUT.json")
extra = json.loads(sys.argv[1])
s = demo_settings()
s['overrides'] = {k: {**DEMO_OVERRIDES.get(k, {}), **extra} for k in ('SkeletonMAE', 'SkeletonMVAE', 'SkeletonMVQVAE')}
m = run_demo(s, progress=False)['metrics']
atomic_write_json(sys.argv[2], {'command': 'python tools/demo_variant.py ' + json.dumps(sys.argv[1]) + ' ' + sys.argv[2], **m})
