"""Golden values for the batch transforms (issue 19): torchvision's functional affine and normalize.

Writes tests/SharpGrad.Tests/Golden/transforms.json. Needs Debian's torchvision (apt-get install python3-torchvision).
The random parameters are not compared (SharpGrad's generator is not torch's): each case fixes them, and the test
runs SharpGrad's kernel with the same ones. Affine only moves values and normalize computes (x − m)/s in float32 as
torch does, so the test compares exactly.
"""
import torch
import torchvision.transforms.functional as TF

from golden_io import tj, write

torch.manual_seed(19)
cases = []


def image(*shape):
    return (torch.randint(0, 64, shape) / 8.0).float()


# Angles away from exact half-pixel ties: nearest-neighbour rounding of a tie depends on the float width of the grid.
for angle, tx, ty, shape in [(12.5, 0, 0, (2, 3, 7, 9)), (-33.0, 1, -2, (2, 1, 8, 8)), (90.0, 0, 0, (1, 2, 6, 6)),
                             (-7.25, -2, 1, (1, 1, 28, 28)), (0.0, 3, 2, (1, 2, 5, 7))]:
    x = image(*shape)
    y = TF.affine(x, angle=angle, translate=[tx, ty], scale=1.0, shear=[0.0, 0.0], fill=0.0)
    cases.append({"name": f"affine_{angle}_{tx}_{ty}_{'x'.join(map(str, shape))}", "op": "affine", "dtype": "float32",
                  "args": {"angle": angle, "tx": tx, "ty": ty}, "inputs": [tj(x)], "output": tj(y)})

for mean, std, shape in [([0.5, 0.25, -1.0], [0.5, 2.0, 0.125], (2, 3, 4, 5)), ([0.2860], [0.3530], (3, 1, 4, 4))]:
    x = image(*shape)
    y = TF.normalize(x, mean=mean, std=std)
    cases.append({"name": f"normalize_{len(mean)}ch_{'x'.join(map(str, shape))}", "op": "normalize", "dtype": "float32",
                  "args": {"mean": mean, "std": std}, "inputs": [tj(x)], "output": tj(y)})

write("transforms.json", "tools/golden/transforms.py", cases, {"torchvision": __import__("torchvision").__version__})
