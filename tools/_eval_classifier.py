"Shared set-up of the inference tools: the STTFormer classifier in evaluation, its batch norms holding running statistics, and one input batch."
import torch
from skelnb.models.sttformer import STTFormerClassifier
from skelnb.bench import NTU, UCLA, _batch

def eval_classifier(preset: str, bs: int):
    "`(clf, x)`: the official (`paper`, NTU-shaped) or tiny (NW-UCLA-shaped) classifier after one training-mode pass over `x`, in eval mode."
    torch.manual_seed(0)
    shape = NTU if preset == 'paper' else UCLA
    clf = STTFormerClassifier.official(60) if preset == 'paper' else STTFormerClassifier.tiny(10, num_joints=20, num_frames=UCLA['frames'])
    x = _batch(bs, shape)
    with torch.no_grad(): clf.train()(x)  # batch norms with running statistics, as in a trained model
    return clf.eval(), x
