#!/usr/bin/env python
# usage: python tools/inference_profile.py tiny|paper BATCH  -- torch.profiler shares of the STTFormer classifier in evaluation (batch norms with running statistics), lean (folded) and reference
import sys, torch, time
torch.set_num_threads(1)
from torch.profiler import profile, ProfilerActivity
from skelnb.models.sttformer import use_reference
from _eval_classifier import eval_classifier
preset = sys.argv[1]; bs = int(sys.argv[2])
clf, x = eval_classifier(preset, bs)
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
