#!/bin/sh
# Rewrites every golden fixture: each fixture script in tools/golden/, then the PyTorch-weights pair in its order
# (SharpGrad's side first). Run from anywhere; a second run must leave `git status` clean.
set -eu
cd "$(dirname "$0")/../.."
for script in tools/golden/*.py; do
    case "$(basename "$script")" in
        golden_io.py | safetensors_io.py | pytorch_weights_models.py | pytorch_weights.py) ;;   # helpers; and the pair below
        *) /usr/bin/python3 "$script" ;;
    esac
done
SHARPGRAD_WRITE_GOLDEN="$PWD/tests/SharpGrad.Tests/Golden/PytorchWeights" \
    dotnet test -c Release --filter FullyQualifiedName~WriteSharpGradFixtures
/usr/bin/python3 tools/golden/pytorch_weights.py
