using SharpGrad.Tests.Golden;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// Issue 17's layer ops against PyTorch 1.13 (tools/golden/nn_layers.py → Golden/nn_layers.json): the output and
/// d(Σ output·grad_output)/d input for every float input. Tolerances: 1e-10 in float64, 1e-5 in float32.
/// </summary>
public class NnLayersGoldenTests
{
    const string File = "nn_layers.json";

    public static TheoryData<string> Cases => [.. GoldenFile.Load(File).Cases.Where(c => c.Op != "module").Select(c => c.Name)];

    public static TheoryData<string> ModuleCases => GoldenFile.CaseNames(File, "module");

    static Tensor Golden(GoldenTensor t, DType dtype) => Tensor.FromArray(t.Data, t.Shape, dtype);

    internal static Func<Tensor[], Tensor> OpFor(GoldenCase c, DType dtype) => c.Op switch
    {
        "group_norm" => x => F.GroupNorm(x[0], c.ArgInt("num_groups"), x.ElementAtOrDefault(1), x.ElementAtOrDefault(2), c.ArgDouble("eps")),
        "instance_norm" => c.HasArg("use_input_stats")
            ? x => F.InstanceNorm(x[0], Golden(c.Tensor("args.running_mean"), dtype), Golden(c.Tensor("args.running_var"), dtype),
                useInputStats: false, eps: c.ArgDouble("eps"))
            : x => InstanceNormWithRunningStats(c, x, dtype),
        "embedding" => x => F.Embedding(x[0], x[1], c.HasArg("padding_idx") ? c.ArgInt("padding_idx") : null,
            c.ArgDoubleOrNull("max_norm"), c.HasArg("norm_type") ? c.ArgDouble("norm_type") : 2),
        "pad" => x => F.Pad(x[0], c.ArgInts("pads"), Enum.Parse<PadMode>(c.ArgString("mode"), ignoreCase: true), c.ArgDoubleOrNull("value") ?? 0),
        "pixel_shuffle" => x => F.PixelShuffle(x[0], c.ArgInt("factor")),
        "pixel_unshuffle" => x => F.PixelUnshuffle(x[0], c.ArgInt("factor")),
        "interpolate" => x => F.Interpolate(x[0], c.ArgIntsOrNull("size"),
            c.HasArg("scale_factor") ? c.Args.GetProperty("scale_factor").EnumerateArray().Select(e => e.GetDouble()).ToArray() : null,
            c.ArgString("mode") == "nearest" ? InterpolateMode.Nearest : InterpolateMode.Linear,
            c.HasArg("align_corners") && c.ArgBool("align_corners")),
        "index_select" => x => F.IndexSelect(x[0], c.ArgInt("dim"), c.ArgInts("index")),
        "split" => x => F.Cat(c.HasArg("sizes") ? F.Split(x[0], c.ArgInts("sizes"), c.ArgInt("dim")) : F.Split(x[0], c.ArgInt("size"), c.ArgInt("dim")), c.ArgInt("dim")),
        "chunk" => x => F.Cat(F.Chunk(x[0], c.ArgInt("chunks"), c.ArgInt("dim")), c.ArgInt("dim")),
        "repeat" => x => F.Repeat(x[0], c.ArgInts("repeats")),
        "gather" => x => F.Gather(x[0], c.ArgInt("dim"), x[1]),
        "max_indices" or "min_indices" => x =>
        {
            var (values, indices) = c.Op == "max_indices" ? F.MaxWithIndices(x[0], c.ArgInt("dim"), c.ArgBool("keepdim")) : F.MinWithIndices(x[0], c.ArgInt("dim"), c.ArgBool("keepdim"));
            GoldenAssert.Close(c.Tensor("args.indices"), [.. indices.Shape], indices.ToArray(), 0, 0, $"{c.Name} indices");
            return values;
        },
        "embedding_bag" => x => F.EmbeddingBag(x[0], x[1], c.HasArg("offsets") ? Tensor.FromArray([.. c.ArgInts("offsets").Select(v => (double)v)], [c.ArgInts("offsets").Length], dtype) : null,
            c.ArgString("mode") == "sum" ? EmbeddingBagMode.Sum : EmbeddingBagMode.Mean, c.HasArg("padding_idx") ? c.ArgInt("padding_idx") : null),
        _ => throw new InvalidOperationException($"no SharpGrad op for golden op '{c.Op}'"),
    };

    // The running statistics after the call must match torch's too (stored in args.*_after).
    static Tensor InstanceNormWithRunningStats(GoldenCase c, Tensor[] x, DType dtype)
    {
        var rm = Golden(c.Tensor("args.running_mean"), dtype);
        var rv = Golden(c.Tensor("args.running_var"), dtype);
        var y = F.InstanceNorm(x[0], rm, rv, x[1], x[2], useInputStats: true, c.ArgDouble("momentum"), c.ArgDouble("eps"));
        GoldenAssert.Close(c.Tensor("args.running_mean_after"), [.. rm.Shape], rm.ToArray(), 1e-12, 1e-12, $"{c.Name} running_mean");
        GoldenAssert.Close(c.Tensor("args.running_var_after"), [.. rv.Shape], rv.ToArray(), 1e-12, 1e-12, $"{c.Name} running_var");
        return y;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFile.Load(File)[name];
        var dtype = c.IsFloat32 ? DType.Float32 : DType.Float64;
        double tol = c.IsFloat32 ? 1e-5 : 1e-10;
        GoldenAssert.ForwardAndBackward(c, OpFor(c, dtype), tol, afterForward: inputs =>
        {
            if (c.HasArg("weight_after"))   // Embedding's max_norm renormalised the looked-up rows in place, as torch did
                GoldenAssert.Close(c.Tensor("args.weight_after"), [.. inputs[1].Shape], inputs[1].ToArray(), tol, tol, $"{name} weight after max_norm");
        });
    }

    [Theory]
    [MemberData(nameof(ModuleCases))]
    public void ModuleLoadsPyTorchStateDictAndMatchesItsOutput(string name)
    {
        var c = GoldenFile.Load(File)[name];
        Module module = c.ArgString("module") switch
        {
            "GroupNorm(2, 4)" => new GroupNorm(2, 4, dtype: DType.Float64),
            "InstanceNorm2d(3, affine: true, trackRunningStats: true)" => new InstanceNorm2d(3, affine: true, trackRunningStats: true, dtype: DType.Float64),
            "Embedding(6, 3, paddingIdx: 0)" => new Embedding(6, 3, paddingIdx: 0, dtype: DType.Float64),
            var other => throw new InvalidOperationException($"no SharpGrad module for '{other}'"),
        };
        if (!c.ArgBool("train")) module.Eval();
        var state = c.Tensors("state_dict").ToDictionary(kv => kv.Key, kv => Golden(kv.Value, DType.Float64));
        // torch's int64 num_batches_tracked is left out of the fixture; the load is strict about everything else.
        var result = module.LoadStateDict(state, strict: false);
        Assert.Equal(module.StateDict().Keys.Where(k => k != "num_batches_tracked").Order(), state.Keys.Order());
        Assert.Empty(result.UnexpectedKeys);
        var output = module.Forward(Golden(c.Tensor("input"), DType.Float64));
        GoldenAssert.Close(c.Output, [.. output.Shape], output.ToArray(), 1e-10, 1e-10, $"{name} output");
    }
}
