"""Golden reprs and summaries (issue 19, item 3): print(module) for every kind of layer in src/SharpGrad/Nn/, and
torchinfo's summary table of lenet, cnn and a TransformerEncoderLayer.

Debian has no python3-torchinfo (and PyPI is out of reach), so the summary is computed here with forward hooks that apply
torchinfo 1.8's rules (TylerYep/torchinfo: layer_info.py calculate_macs, model_statistics.py, formatting.py):
- rows in forward-pre-hook order; depth 0 is the model; depth-idx counts rows of one depth over the whole table;
- a module with no sub-modules is a leaf; params = its parameters' numel (a container shows what its rows leave over);
- mult-adds of a leaf: a parameter named weight or bias counts numel x batch x spatial output positions in a
  Conv* layer, numel x batch elsewhere; any other parameter with weight/bias in its name numel x out[0] x out[1];
- totals: params and mult-adds over leaves; forward/backward size = 2 x output bytes of leaves with parameters;
- the table: a 40-wide name column (widened to a multiple of 5 when any row's name needs it, shown or not), three
  25-wide columns; rows down to depth 3 (max_depth); a container at depth 3 stands for its hidden rows: all its
  parameters, and the mult-adds of the leaves beneath it;
- a leaf (or a depth-3 container) without trainable parameters shows its count in parentheses.
The hooks see every module called through __call__, as torchinfo's do.
"""
import math

import torch
import torch.nn as nn

from golden_io import write
from pytorch_weights_models import lenet


def cnn():
    """SharpGrad's cnn (src/SharpGrad/Models/Cnn.cs)."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(128, 10))


# (case name, module); the C# test builds the same layer under the same name.
LAYERS = [
    ("relu", nn.ReLU()), ("leaky_relu", nn.LeakyReLU(0.2)), ("sigmoid", nn.Sigmoid()), ("tanh", nn.Tanh()),
    ("elu", nn.ELU()), ("celu", nn.CELU(0.5)), ("selu", nn.SELU()), ("gelu_tanh", nn.GELU(approximate="tanh")),
    ("silu", nn.SiLU()), ("mish", nn.Mish()), ("softsign", nn.Softsign()),
    # torch 1.13's Softplus defaults are ints (beta=1, threshold=20); SharpGrad's are doubles, as in torch 2.
    ("softplus", nn.Softplus(beta=2.0, threshold=10.0)),
    ("hardtanh", nn.Hardtanh()), ("relu6", nn.ReLU6()), ("hardsigmoid", nn.Hardsigmoid()), ("hardswish", nn.Hardswish()),
    ("threshold", nn.Threshold(0.1, 20.0)), ("glu", nn.GLU()), ("softmax", nn.Softmax(dim=1)),
    ("log_softmax", nn.LogSoftmax(dim=-1)), ("softmin", nn.Softmin(dim=0)), ("prelu", nn.PReLU(3)),
    ("identity", nn.Identity()), ("flatten", nn.Flatten()), ("unflatten", nn.Unflatten(1, (2, 5))),
    ("linear_no_bias", nn.Linear(4, 3, bias=False)), ("dropout", nn.Dropout(0.25)),
    ("conv1d", nn.Conv1d(2, 4, 3, stride=2, padding=1, bias=False)),
    ("conv2d_dilated", nn.Conv2d(3, 8, 3, padding=1, dilation=2)),
    ("conv2d_groups", nn.Conv2d(4, 8, (3, 5), stride=(2, 1), groups=2)),
    ("conv3d", nn.Conv3d(1, 2, 3)),
    ("conv_transpose1d", nn.ConvTranspose1d(4, 2, 3, stride=2, output_padding=1)),
    ("conv_transpose2d", nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, bias=False)),
    ("max_pool1d", nn.MaxPool1d(3, stride=2, padding=1)), ("max_pool2d", nn.MaxPool2d(2)),
    ("max_pool2d_rect", nn.MaxPool2d((2, 3), stride=1, ceil_mode=True)), ("max_pool3d", nn.MaxPool3d(2)),
    ("avg_pool1d", nn.AvgPool1d(2)), ("avg_pool2d", nn.AvgPool2d(3, stride=2, padding=1)), ("avg_pool3d", nn.AvgPool3d(2)),
    ("adaptive_avg_pool1d", nn.AdaptiveAvgPool1d(4)), ("adaptive_avg_pool2d", nn.AdaptiveAvgPool2d(1)),
    ("adaptive_avg_pool2d_rect", nn.AdaptiveAvgPool2d((2, 3))), ("adaptive_avg_pool3d", nn.AdaptiveAvgPool3d(2)),
    ("adaptive_max_pool2d", nn.AdaptiveMaxPool2d((3, 4))),
    ("batch_norm1d", nn.BatchNorm1d(16)),
    ("batch_norm2d_cumulative", nn.BatchNorm2d(8, eps=1e-3, momentum=None, affine=False)),
    ("batch_norm3d_no_stats", nn.BatchNorm3d(4, track_running_stats=False)),
    ("instance_norm2d", nn.InstanceNorm2d(3, affine=True, track_running_stats=True)),
    ("layer_norm", nn.LayerNorm(8)), ("layer_norm_2d", nn.LayerNorm([4, 5], eps=1e-6, elementwise_affine=False)),
    ("group_norm", nn.GroupNorm(2, 4)),
    ("embedding", nn.Embedding(10, 3, padding_idx=-1)),
    ("embedding_max_norm", nn.Embedding(10, 3, max_norm=1.0, norm_type=1.0)),
    ("embedding_bag", nn.EmbeddingBag(10, 3, mode="sum", padding_idx=2)),
    ("zero_pad2d", nn.ZeroPad2d(1)), ("constant_pad1d", nn.ConstantPad1d((1, 2), 3.5)),
    ("reflection_pad2d", nn.ReflectionPad2d((1, 0, 2, 1))), ("replication_pad1d", nn.ReplicationPad1d(2)),
    ("pixel_shuffle", nn.PixelShuffle(2)), ("pixel_unshuffle", nn.PixelUnshuffle(3)),
    ("upsample_nearest", nn.Upsample(scale_factor=2)), ("upsample_bilinear", nn.Upsample(size=(4, 6), mode="bilinear")),
    # Settings away from the defaults, so that every branch of each extra_repr is compared (issue 23's mutation testing).
    ("upsample_trilinear", nn.Upsample(size=(2, 3, 4), mode="trilinear")),
    ("upsample_scale_pair", nn.Upsample(scale_factor=(2.0, 3.0), mode="bilinear")), ("upsample_size", nn.Upsample(size=5)),
    ("constant_pad2d", nn.ConstantPad2d((1, 0, 2, 1), -1.5)), ("zero_pad2d_rect", nn.ZeroPad2d((1, 0, 2, 1))),
    ("replication_pad2d", nn.ReplicationPad2d(1)), ("reflection_pad1d", nn.ReflectionPad1d((0, 3))),
    ("avg_pool1d_strided", nn.AvgPool1d(3, stride=2, padding=1)),
    ("avg_pool2d_rect", nn.AvgPool2d((1, 2), stride=(2, 1), padding=(0, 1))),
    ("avg_pool3d_rect", nn.AvgPool3d((1, 2, 3), stride=(2, 1, 1), padding=(0, 1, 0))),
    ("max_pool1d_dilated", nn.MaxPool1d(2, dilation=3, ceil_mode=True)),
    ("max_pool2d_dilated", nn.MaxPool2d((1, 2), stride=(2, 1), padding=(0, 1), dilation=(1, 2))),
    ("max_pool3d_rect", nn.MaxPool3d((1, 2, 3), stride=(2, 1, 1), padding=(0, 1, 0), dilation=(1, 2, 1), ceil_mode=True)),
    ("adaptive_avg_pool3d_rect", nn.AdaptiveAvgPool3d((1, 2, 3))), ("adaptive_max_pool2d_square", nn.AdaptiveMaxPool2d(5)),
    ("instance_norm2d_plain", nn.InstanceNorm2d(4, eps=1e-3, momentum=0.5)),
    ("group_norm_no_affine", nn.GroupNorm(3, 6, eps=1e-4, affine=False)),
    ("batch_norm2d_no_stats", nn.BatchNorm2d(3, eps=1e-3, momentum=0.3, affine=False, track_running_stats=False)),
    ("layer_norm_affine_2d", nn.LayerNorm((2, 3), eps=0.01)), ("unflatten_last", nn.Unflatten(-1, (2, -1))),
    ("conv1d_groups", nn.Conv1d(2, 4, 3, padding=1, dilation=2, groups=2)),
    ("conv3d_rect", nn.Conv3d(2, 4, (1, 2, 3), stride=(1, 2, 1), padding=(0, 1, 0), groups=2, dilation=(2, 1, 1), bias=False)),
    ("conv_transpose1d_dilated", nn.ConvTranspose1d(2, 4, 3, dilation=2)),
    ("conv_transpose3d_rect", nn.ConvTranspose3d(2, 4, (1, 2, 3), stride=(1, 2, 1), padding=(0, 1, 0), output_padding=(0, 1, 0),
                                                 groups=2, dilation=(2, 1, 1), bias=False)),
    ("rnn_tanh", nn.RNN(4, 8)), ("rnn_no_bias", nn.RNN(4, 8, bias=False)), ("lstm_stacked_batch_first", nn.LSTM(3, 5, num_layers=2, batch_first=True)),
    ("gru_no_bias_batch_first", nn.GRU(3, 5, bias=False, batch_first=True)),
    ("rnn_cell_no_bias", nn.RNNCell(4, 8, bias=False)), ("lstm_cell_bias", nn.LSTMCell(4, 8)), ("gru_cell_no_bias", nn.GRUCell(3, 5, bias=False)),
    ("embedding_pad0_max_norm", nn.Embedding(10, 3, padding_idx=0, max_norm=2.0)),
    ("embedding_bag_mean_norm", nn.EmbeddingBag(10, 3, max_norm=1.5, norm_type=3.0)),
    ("gelu", nn.GELU()), ("leaky_relu_default", nn.LeakyReLU()), ("hardtanh_bounds", nn.Hardtanh(-2.0, 3.0)),
    ("elu_alpha", nn.ELU(0.5)), ("flatten_range", nn.Flatten(0, 2)),
    ("rnn", nn.RNN(4, 8, num_layers=2, nonlinearity="relu", batch_first=True)), ("lstm", nn.LSTM(4, 8, bias=False)),
    ("gru", nn.GRU(3, 5, num_layers=3)),
    ("rnn_cell", nn.RNNCell(4, 8, nonlinearity="relu")), ("lstm_cell", nn.LSTMCell(4, 8, bias=False)), ("gru_cell", nn.GRUCell(3, 5)),
    ("multihead_attention", nn.MultiheadAttention(8, 2)),
    ("transformer_encoder_layer", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)),
    ("lenet", lenet()), ("cnn", cnn()),
]


class Row:
    def __init__(self, module, depth):
        self.module, self.depth = module, depth
        self.name = type(module).__name__
        self.leaf = not any(module.children())
        params = list(module.named_parameters())
        self.params = sum(p.numel() for _, p in params)
        self.trainable = sum(p.numel() for _, p in params if p.requires_grad)
        self.param_bytes = sum(p.numel() * p.element_size() for _, p in params)
        self.output, self.output_bytes, self.macs, self.index = [], 0, 0, 0

    def finish(self, output):
        while isinstance(output, (tuple, list)):  # torchinfo sizes a tuple (attention's output, weights) by its first tensor
            output = output[0]
        self.output = list(output.shape)
        self.output_bytes = output.numel() * output.element_size()
        out = self.output
        for name, p in self.module.named_parameters():
            if name in ("weight", "bias"):
                per = math.prod(out[:1] + out[2:]) if "Conv" in self.name else out[0]
                self.macs += p.numel() * per
            elif "weight" in name or "bias" in name:
                self.macs += p.numel() * math.prod(out[:2])


def record(model, input_shape):
    rows, stack = [], []

    def pre(module, _inputs):
        rows.append(Row(module, len(stack)))
        stack.append(rows[-1])

    def post(module, _inputs, output):
        stack.pop().finish(output)

    handles = [m.register_forward_pre_hook(pre) for m in model.modules()] + [m.register_forward_hook(post) for m in model.modules()]
    model.eval()
    with torch.no_grad():
        model(torch.rand(*input_shape))
    for h in handles:
        h.remove()
    counts = {}
    for r in rows:
        counts[r.depth] = counts.get(r.depth, 0) + 1
        r.index = counts[r.depth]
    return rows


def beneath(rows, i):
    j = i + 1
    while j < len(rows) and rows[j].depth > rows[i].depth:
        j += 1
    return rows[i + 1:j]


def leftover(rows, i, attr="params"):
    """torchinfo's leftover_params (and leftover_trainable_params): what a container holds beyond its rows."""
    return getattr(rows[i], attr) - sum(getattr(r, attr) if r.leaf else leftover(rows, rows.index(r), attr) for r in beneath(rows, i))


MAX_DEPTH = 3


def table(rows, input_shape):
    def row_name(r):
        return r.name if r.depth == 0 else f"{r.name}: {r.depth}-{r.index}"

    width = 40
    longest = max(len(row_name(r)) + r.depth * 5 + 1 for r in rows)
    if longest >= width:
        width = math.ceil(longest / 5) * 5
    divider = "=" * (width + 3 * 25)

    def line(name, *cols):
        return (f"{name:<{width}} " + "".join(f"{c:<25} " for c in cols)).rstrip() + "\n"

    text = divider + "\n" + line("Layer (type:depth-idx)", "Output Shape", "Param #", "Mult-Adds") + divider + "\n"
    for i, r in enumerate(rows):
        if r.depth > MAX_DEPTH:
            continue
        at_max = r.depth == MAX_DEPTH
        indent = "" if r.depth == 0 else "├─" if r.depth == 1 else "│    " * (r.depth - 1) + "└─"
        if r.params == 0:
            params = "--"
        elif r.leaf or at_max:
            params = f"{r.params:,}" if r.trainable else f"({r.params:,})"
        else:
            params = f"{leftover(rows, i):,}" if leftover(rows, i) > 0 else "--"
        if r.leaf:
            macs = f"{r.macs:,}" if r.macs > 0 else "--"
        elif at_max:
            below = sum(b.macs for b in beneath(rows, i) if b.leaf)
            macs = f"{below:,}" if below > 0 else "--"
        else:
            macs = "--"
        text += line(indent + row_name(r), str(r.output) if r.output else "--", params, macs)
    leaves = [r for r in rows if r.leaf]
    total = sum(r.params for r in leaves) + sum(leftover(rows, i) for i, r in enumerate(rows) if not r.leaf)
    trainable = sum(r.trainable for r in leaves) + sum(leftover(rows, i, "trainable") for i, r in enumerate(rows) if not r.leaf)
    macs = sum(r.macs for r in leaves)
    output_bytes = sum(2 * r.output_bytes for r in leaves if r.params > 0)
    param_bytes = sum(r.param_bytes for r in leaves)
    input_bytes = math.prod(input_shape) * 4
    millions = macs / 1e6
    macs_text = f"{int(millions):,d}" if millions.is_integer() else f"{millions:,.2f}"
    text += (divider + "\n"
             f"Total params: {total:,}\nTrainable params: {trainable:,}\nNon-trainable params: {total - trainable:,}\n"
             f"Total mult-adds (M): {macs_text}\n" + divider + "\n"
             f"Input size (MB): {input_bytes / 1e6:0.2f}\n"
             f"Forward/backward pass size (MB): {output_bytes / 1e6:0.2f}\n"
             f"Params size (MB): {param_bytes / 1e6:0.2f}\n"
             f"Estimated Total Size (MB): {(input_bytes + output_bytes + param_bytes) / 1e6:0.2f}\n" + divider)
    totals = {"total_params": total, "trainable_params": trainable, "mult_adds": macs, "input_bytes": input_bytes,
              "forward_backward_bytes": output_bytes, "param_bytes": param_bytes}
    return text, totals


def deep():
    """Four levels of modules, a row name that widens the column, a frozen layer and an LSTM (inner weight names) last."""
    frozen = nn.Linear(8, 8)
    frozen.requires_grad_(False)
    return nn.Sequential(
        nn.Linear(8, 8),
        nn.Sequential(
            nn.Sequential(
                nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0),
                nn.Sequential(nn.Linear(8, 8), nn.ReLU()),
                nn.Sequential(nn.ReLU())),
            frozen),
        nn.LSTM(8, 4))


def summary_case(name, model, input_shape):
    rows = record(model, input_shape)
    text, totals = table(rows, input_shape)
    return {"name": name, "op": "summary", "dtype": "float32", "args": {"input_shape": list(input_shape)},
            "rows": [{"name": r.name, "depth": r.depth, "index": r.index, "output": r.output, "params": r.params,
                      "mult_adds": r.macs if r.leaf else 0, "leaf": r.leaf} for r in rows],
            "totals": totals, "table": text}


def main():
    torch.manual_seed(0)
    cases = [{"name": name, "op": "repr", "dtype": "float32", "repr": repr(module)} for name, module in LAYERS]
    cases.append(summary_case("summary_lenet_1", lenet(), (1, 1, 28, 28)))
    cases.append(summary_case("summary_cnn_16", cnn(), (16, 1, 28, 28)))
    # Post-norm, batch_first=False: torch 1.13 runs the sub-modules one by one (no fused fast path), self_attn first;
    # MultiheadAttention has a sub-module (out_proj, never called), so it is a container whose leftover are its params.
    cases.append(summary_case("summary_transformer_5x2", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0), (5, 2, 8)))
    # Rows below depth 3 are hidden (the attention's and the inner Sequentials' layers), a container at depth 3 shows
    # all its parameters and its leaves' mult-adds ("--" for none), the frozen Linear shows (72), and the LSTM counts
    # weight_ih_l0 ... once per step and example.
    cases.append(summary_case("summary_deep_5x2", deep(), (5, 2, 8)))
    write("nn_summary.json", "tools/golden/nn_summary.py", cases)


if __name__ == "__main__":
    main()
