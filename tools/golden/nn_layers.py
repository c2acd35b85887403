#!/usr/bin/python3
"""Golden values for issue 17's nn-layers items: Embedding, GroupNorm, InstanceNorm, padding, pixel shuffle,
interpolation, and the tensor ops index_select, split, chunk, repeat.

Run: /usr/bin/python3 tools/golden/nn_layers.py   (writes tests/SharpGrad.Tests/Golden/nn_layers.json)
Each case: output = op(*inputs, **args); grads[i] = d(sum(output * grad_output)) / d inputs[i].
Multi-output ops (split, chunk) are stored as their outputs concatenated along the split dim.
"""
import torch
import torch.nn.functional as F

from golden_io import op_case, tj, write

torch.manual_seed(17)
f64 = torch.float64
cases = []


def rn(*shape, dtype=f64):
    return torch.randn(*shape, dtype=dtype)


def add(*a, **k):
    cases.append(op_case(*a, **k))


# --- group_norm: groups of channels, with and without affine; G = C is instance norm, G = 1 layer-norm-like ---
for shape, g, affine, nm in [((2, 6, 3, 4), 3, True, "g3_affine"), ((2, 6, 3, 4), 1, True, "g1_affine"),
                             ((2, 6, 3, 4), 6, False, "g6_plain"), ((3, 4, 5), 2, True, "g2_rank3")]:
    c = shape[1]
    x = rn(*shape) * 2 + 0.5
    if affine:
        add(f"group_norm_{nm}", "group_norm", lambda x, w, b, g=g: F.group_norm(x, g, w, b, eps=1e-5),
            [x, rn(c), rn(c)], {"num_groups": g, "eps": 1e-5})
    else:
        add(f"group_norm_{nm}", "group_norm", lambda x, g=g: F.group_norm(x, g, eps=1e-3), [x], {"num_groups": g, "eps": 1e-3})
add("group_norm_g2_affine_f32", "group_norm", lambda x, w, b: F.group_norm(x, 2, w, b),
    [rn(2, 4, 3, 3, dtype=torch.float32), rn(4, dtype=torch.float32), rn(4, dtype=torch.float32)], {"num_groups": 2, "eps": 1e-5})

# --- instance_norm: input statistics, affine; the running statistics after one call are stored in args ---
x = rn(2, 3, 4, 5) * 1.5 - 0.3
rm, rv = rn(3), torch.rand(3, dtype=f64) + 0.5
rm_after, rv_after = rm.clone(), rv.clone()
F.instance_norm(x, rm_after, rv_after, use_input_stats=True, momentum=0.2, eps=1e-5)
add("instance_norm_affine_running", "instance_norm",
    lambda x, w, b: F.instance_norm(x, rm.clone(), rv.clone(), w, b, use_input_stats=True, momentum=0.2, eps=1e-5),
    [x, rn(3), rn(3)],
    {"momentum": 0.2, "eps": 1e-5, "running_mean": tj(rm), "running_var": tj(rv),
     "running_mean_after": tj(rm_after), "running_var_after": tj(rv_after)})
add("instance_norm_eval_running", "instance_norm",
    lambda x: F.instance_norm(x, rm, rv, use_input_stats=False, eps=1e-5), [x],
    {"use_input_stats": False, "eps": 1e-5, "running_mean": tj(rm), "running_var": tj(rv)})

# --- embedding: repeated indices, padding_idx (no gradient), max_norm (rows renormalised in place first) ---
w = rn(10, 4)
idx = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]])
add("embedding_plain", "embedding", lambda i, w: F.embedding(i, w), [idx, w])
add("embedding_padding_idx2", "embedding", lambda i, w: F.embedding(i, w, padding_idx=2), [idx, w], {"padding_idx": 2})
for p in (2.0, 1.0):
    wm = rn(10, 4) * 1.5
    after = wm.clone()
    with torch.no_grad():
        F.embedding(idx, after, max_norm=1.0, norm_type=p)
    c = op_case(f"embedding_max_norm1_p{p:g}", "embedding", lambda i, w, p=p: F.embedding(i, w, max_norm=1.0, norm_type=p), [idx, wm],
                {"max_norm": 1.0, "norm_type": p})
    c["inputs"][1] = tj(wm)  # the weight before renormalisation (torch changed its copy in place)
    c["args"]["weight_after"] = tj(after)
    cases.append(c)
add("embedding_1d_f32", "embedding", lambda i, w: F.embedding(i, w), [torch.tensor([0, 3, 3]), rn(5, 3, dtype=torch.float32)])

# --- pad: (left, right, top, bottom), every mode, negative amounts crop ---
x1, x2 = rn(2, 3, 5), rn(1, 2, 4, 5)
for mode in ("constant", "reflect", "replicate", "circular"):
    val = {"value": 0.5} if mode == "constant" else {}
    add(f"pad_{mode}_1d", "pad", lambda x, m=mode, v=val: F.pad(x, (2, 1), mode=m, **v), [x1], {"pads": [2, 1], "mode": mode, **val})
    add(f"pad_{mode}_2d", "pad", lambda x, m=mode, v=val: F.pad(x, (1, 2, 3, 1), mode=m, **v), [x2],
        {"pads": [1, 2, 3, 1], "mode": mode, **val})
add("pad_constant_2d_negative", "pad", lambda x: F.pad(x, (-1, 2, 1, -2)), [x2], {"pads": [-1, 2, 1, -2], "mode": "constant"})
add("pad_replicate_2d_negative", "pad", lambda x: F.pad(x, (2, -1, -1, 1), mode="replicate"), [x2],
    {"pads": [2, -1, -1, 1], "mode": "replicate"})
add("pad_reflect_2d_f32", "pad", lambda x: F.pad(x, (1, 1, 2, 2), mode="reflect"), [rn(1, 2, 3, 4, dtype=torch.float32)],
    {"pads": [1, 1, 2, 2], "mode": "reflect"})

# --- pixel shuffle ---
add("pixel_shuffle_r2", "pixel_shuffle", lambda x: F.pixel_shuffle(x, 2), [rn(2, 8, 2, 3)], {"factor": 2})
add("pixel_unshuffle_r2", "pixel_unshuffle", lambda x: F.pixel_unshuffle(x, 2), [rn(2, 2, 4, 6)], {"factor": 2})
add("pixel_shuffle_r3_unbatched", "pixel_shuffle", lambda x: F.pixel_shuffle(x, 3), [rn(9, 2, 2)], {"factor": 3})

# --- interpolate: nearest and (bi)linear, size or scale factor, align_corners both ways ---
x = rn(1, 2, 3, 4)
for mode in ("nearest", "bilinear"):
    corners = [None] if mode == "nearest" else [False, True]
    for ac in corners:
        tag = mode if ac is None else f"{mode}_align{str(ac).lower()}"
        a = {} if ac is None else {"align_corners": ac}
        add(f"interpolate_{tag}_size5x7", "interpolate", lambda x, m=mode, a=a: F.interpolate(x, size=(5, 7), mode=m, **a), [x],
            {"size": [5, 7], "mode": mode, **a})
        add(f"interpolate_{tag}_scale1.7x2", "interpolate",
            lambda x, m=mode, a=a: F.interpolate(x, scale_factor=(1.7, 2.0), mode=m, **a), [x], {"scale_factor": [1.7, 2.0], "mode": mode, **a})
        add(f"interpolate_{tag}_down2x3", "interpolate", lambda x, m=mode, a=a: F.interpolate(x, size=(2, 3), mode=m, **a), [x],
            {"size": [2, 3], "mode": mode, **a})
add("interpolate_linear_1d_scale2.5", "interpolate", lambda x: F.interpolate(x, scale_factor=2.5, mode="linear"), [rn(2, 3, 4)],
    {"scale_factor": [2.5], "mode": "linear"})
add("interpolate_bilinear_size6x6_f32", "interpolate", lambda x: F.interpolate(x, size=(6, 6), mode="bilinear"),
    [rn(1, 1, 3, 4, dtype=torch.float32)], {"size": [6, 6], "mode": "bilinear", "align_corners": False})

# --- index_select, split, chunk, repeat ---
add("index_select_dim1_repeats", "index_select", lambda x: torch.index_select(x, 1, torch.tensor([3, 0, 3, 2])), [rn(2, 4, 3)],
    {"dim": 1, "index": [3, 0, 3, 2]})
add("split_sizes_dim1", "split", lambda x: torch.cat(torch.split(x, [1, 3, 1], dim=1), 1), [rn(2, 5, 3)], {"dim": 1, "sizes": [1, 3, 1]})
add("split_size2_dim2", "split", lambda x: torch.cat(torch.split(x, 2, dim=2), 2), [rn(2, 3, 5)], {"dim": 2, "size": 2})
add("chunk_3_dim0", "chunk", lambda x: torch.cat(torch.chunk(x, 3, dim=0), 0), [rn(7, 2)], {"dim": 0, "chunks": 3})
add("repeat_2x1x3", "repeat", lambda x: x.repeat(2, 1, 3), [rn(2, 3, 2)], {"repeats": [2, 1, 3]})
add("repeat_extra_dims", "repeat", lambda x: x.repeat(2, 2, 1), [rn(3, 2)], {"repeats": [2, 2, 1]})


# --- modules: torch's state dict (random values) loaded by name, then one forward -------------------------------
def module_case(name, ctor, module, x, train=False):
    with torch.no_grad():
        for t in module.state_dict().values():
            if t.is_floating_point():
                t.copy_(torch.rand_like(t) + 0.5)
    module.train(train)
    out = module(x)
    state = {k: tj(v) for k, v in module.state_dict().items() if k != "num_batches_tracked"}
    cases.append({"name": name, "op": "module", "dtype": "float64", "args": {"module": ctor, "train": train},
                  "state_dict": state, "input": tj(x, is_int=not x.is_floating_point()), "output": tj(out)})


module_case("module_group_norm", "GroupNorm(2, 4)", torch.nn.GroupNorm(2, 4).double(), rn(2, 4, 3, 3))
module_case("module_instance_norm2d_eval", "InstanceNorm2d(3, affine: true, trackRunningStats: true)",
            torch.nn.InstanceNorm2d(3, affine=True, track_running_stats=True).double(), rn(2, 3, 4, 4))
module_case("module_embedding", "Embedding(6, 3, paddingIdx: 0)", torch.nn.Embedding(6, 3, padding_idx=0).double(),
            torch.tensor([[0, 5, 2], [1, 1, 4]]))

# --- gather, max/min with indices (values and indices; the gradient goes to the index), embedding_bag ---
x = rn(3, 4, 2)
gidx = torch.tensor([[[3, 0], [1, 1]], [[2, 2], [0, 3]], [[1, 0], [3, 3]]])
add("gather_dim1", "gather", lambda x, i: torch.gather(x, 1, i), [x, gidx], {"dim": 1})
add("gather_dim0_smaller", "gather", lambda x, i: torch.gather(x, 0, i), [rn(3, 4), torch.tensor([[2, 0, 1], [0, 0, 2]])], {"dim": 0})
for op, fn in (("max_indices", torch.max), ("min_indices", torch.min)):
    for keep in (False, True):
        x = rn(3, 5)
        vals, ids = fn(x, 1, keepdim=keep)
        c = op_case(f"{op}_dim1_keepdim_{str(keep).lower()}", op, lambda x, fn=fn, keep=keep: fn(x, 1, keepdim=keep).values, [x],
                    {"dim": 1, "keepdim": keep})
        c["args"]["indices"] = tj(ids, is_int=True)
        cases.append(c)
bw = rn(8, 3)
for mode in ("sum", "mean"):
    add(f"embedding_bag_{mode}_offsets", "embedding_bag",
        lambda i, w, m=mode: F.embedding_bag(i, w, torch.tensor([0, 2, 2, 5]), mode=m), [torch.tensor([1, 4, 7, 7, 0, 3, 2]), bw],
        {"mode": mode, "offsets": [0, 2, 2, 5]})
    add(f"embedding_bag_{mode}_2d_padding_idx1", "embedding_bag",
        lambda i, w, m=mode: F.embedding_bag(i, w, mode=m, padding_idx=1), [torch.tensor([[1, 4, 6], [1, 1, 1], [2, 1, 2]]), bw],
        {"mode": mode, "padding_idx": 1})

write("nn_layers.json", "tools/golden/nn_layers.py", cases)
