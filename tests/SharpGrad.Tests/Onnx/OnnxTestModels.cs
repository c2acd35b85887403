using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SharpGrad.IO.Onnx;
using SharpGrad.Nn;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>Models, inputs and ONNX Runtime calls shared by the ONNX tests.</summary>
internal static class OnnxTestModels
{
    public static Tensor Randn(int[] shape, ulong seed)
    {
        var g = new Generator(seed);
        return Tensor.FromArray(Enumerable.Range(0, Shapes.Numel(shape)).Select(_ => (float)g.NextGaussian()).ToArray(), shape);
    }

    /// <summary>Gives BatchNorm layers non-trivial running statistics and affine parameters, so their export is exercised.</summary>
    public static void RandomizeBatchNorm(Module model, ulong seed)
    {
        var g = new Generator(seed);
        using (Autograd.NoGrad())
            foreach (var (name, t) in model.StateDict())
            {
                if (name.EndsWith("running_var", StringComparison.Ordinal))
                    t.Copy_(Tensor.FromArray(Enumerable.Range(0, t.Numel).Select(_ => (float)(0.5 + g.NextDouble())).ToArray(), [.. t.Shape]));
                else if (name.EndsWith("running_mean", StringComparison.Ordinal) || (name.Contains("BatchNorm", StringComparison.Ordinal)))
                    t.Copy_(Tensor.FromArray(Enumerable.Range(0, t.Numel).Select(_ => (float)(0.2 * g.NextGaussian())).ToArray(), [.. t.Shape]));
            }
    }

    /// <summary>Runs a one-input model in ONNX Runtime (CPU) and returns its first output's values and shape.</summary>
    public static (float[] values, int[] shape) RunOrt(string path, Tensor input)
    {
        using var session = new InferenceSession(path);
        var dense = new DenseTensor<float>(input.ToFloatArray(), [.. input.Shape]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), dense)]);
        var output = results.First().AsTensor<float>();
        return (output.ToArray(), output.Dimensions.ToArray());
    }

    /// <summary>
    /// Exports <paramref name="model"/> traced on <paramref name="sample"/>, then runs <paramref name="x"/> through ONNX
    /// Runtime and through the file imported back: their largest differences from SharpGrad's own output.
    /// </summary>
    public static (double ort, double imported, int[] ortShape, OnnxModule module) ExportAndRun(Module model, Tensor sample, Tensor x, string path)
    {
        Onnx.Export(model, sample, path);
        bool training = model.Training;
        double[] expected, back;
        using (Autograd.NoGrad())
        {
            expected = model.Eval().Forward(x).ToArray();
            model.Train(training);
            var module = Onnx.Load(path);
            back = module.Forward(x).ToArray();
            var (ort, shape) = RunOrt(path, x);
            return (MaxAbsDiff([.. ort.Select(v => (double)v)], expected), MaxAbsDiff(back, expected), shape, module);
        }
    }

    public static double MaxAbsDiff(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) return double.PositiveInfinity;
        double m = 0;
        for (int i = 0; i < a.Count; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
