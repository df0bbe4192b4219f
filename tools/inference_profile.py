#!/usr/bin/env python
# usage: python tools/inference_profile.py tiny|paper BATCH  -- torch.profiler shares of the STTFormer classifier in evaluation (batch norms with running statistics), lean (folded) and reference
import sys, torch, time
torch.set_num_threads(1)
from torch.profiler import profile, ProfilerActivity
from skelnb.models.sttformer import STTFormerClassifier, use_reference
from skelnb.bench import NTU, UCLA, _batch
preset = sys.argv[1]; bs = int(sys.argv[2])
torch.manual_seed(0)
shape = NTU if preset == 'paper' else UCLA
clf = STTFormerClassifier.official(60) if preset == 'paper' else STTFormerClassifier.tiny(10, num_joints=20, num_frames=UCLA['frames'])
x = _batch(bs, shape)
with torch.no_grad(): clf.train()(x)
clf.eval()
for mode in ('lean', 'reference'):
    use_reference(clf, mode == 'reference')
    with torch.no_grad(): clf(x)
    with torch.no_grad(), profile(activities=[ProfilerActivity.CPU]) as p:
        for _ in range(2): clf(x)
    ev = p.key_averages()
    tot = sum(e.self_cpu_time_total for e in ev)
    conv = sum(e.self_cpu_time_total for e in ev if 'conv' in e.key)
    mm = sum(e.self_cpu_time_total for e in ev if e.key in ('aten::bmm', 'aten::mm', 'aten::baddbmm', 'aten::addmm', 'aten::matmul'))
    print(mode, preset, f"total {tot/2e6:.3f} s/step  conv {conv/tot:.1%}  matmul {mm/tot:.1%}")
    for e in sorted(ev, key=lambda e: -e.self_cpu_time_total)[:6]: print(f"   {e.key:40s} {e.self_cpu_time_total/tot:.1%}")
