using System.Text.Json;
using SharpGrad.Cli.Bench;
using SharpGrad.Nn;
using SharpGrad.Tests.OnnxInterop;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Issue 21's inference workloads: evaluation mode (no dropout, BatchNorm's running statistics), and ONNX Runtime
/// running the exported file to SharpGrad's outputs within 1e-4, as the ONNX Runtime peer checks before it times.
/// Expected values: SharpGrad's own forward, PyTorch's running-statistics update (closed form), ONNX Runtime.
/// </summary>
public sealed class BenchInferenceTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-bench-infer-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> Names => [.. BenchWorkloads.InferenceNames];

    static IEnumerable<Module> Tree(Module m) => m.NamedChildren().SelectMany(c => Tree(c.Value)).Prepend(m);

    [Theory]
    [MemberData(nameof(Names))]
    public void RunsInEvaluationMode(string name)
    {
        var m = BenchWorkloads.Inference(name);
        Assert.All(Tree(m.Model), module => Assert.False(module.Training, $"{name}: {module.ReprName} is in training mode"));
        using (Autograd.NoGrad())
        {
            var full = m.Model.Call(m.Batch(64)).ToArray();
            // No dropout: a second call gives the same values (cnn's dropout would draw new masks from its generator).
            Assert.Equal(full, m.Model.Call(m.Batch(64)).ToArray());
            // Running statistics, not the batch's: one example alone gives its row of the batch's output (to rounding,
            // as another GEMM blocking may sum in another order).
            var one = m.Model.Call(m.Batch(1)).ToArray();
            for (int i = 0; i < one.Length; i++) Assert.True(Math.Abs(one[i] - full[i]) <= 1e-5, $"{name}: output {i} is {one[i]} alone, {full[i]} in the batch");
        }
    }

    [Fact]
    public void CnnRunningStatisticsComeFromOneTrainingPass()
    {
        // PyTorch's update from running_mean = 0, running_var = 1 with momentum 0.1, over conv1's output y [64, 32, 28, 28]:
        // running_mean = 0.1·mean_c(y), running_var = 0.9 + 0.1·var_c(y) with the unbiased variance (n − 1 = 64·28·28 − 1).
        var m = BenchWorkloads.Inference("infer-cnn");
        var layers = (Sequential)m.Model;
        var bn = (BatchNorm2d)layers[1];
        double[] y;
        using (Autograd.NoGrad()) y = layers[0].Call(m.Input).ToArray();
        int channels = 32, plane = 28 * 28, n = 64 * plane;
        double[] mean = bn.RunningMean!.ToArray(), variance = bn.RunningVar!.ToArray();
        for (int c = 0; c < channels; c++)
        {
            var values = Enumerable.Range(0, 64).SelectMany(i => y.Skip((i * channels + c) * plane).Take(plane)).ToArray();
            double mu = values.Average(), unbiased = values.Sum(v => (v - mu) * (v - mu)) / (n - 1);
            Assert.True(Math.Abs(mean[c] - 0.1 * mu) <= 1e-6, $"channel {c}: running mean {mean[c]} against {0.1 * mu}");
            Assert.True(Math.Abs(variance[c] - (0.9 + 0.1 * unbiased)) <= 1e-5, $"channel {c}: running var {variance[c]} against {0.9 + 0.1 * unbiased}");
        }
        Assert.True(variance.Max(v => Math.Abs(v - 1)) > 1e-2, "the running variance stayed at 1, so evaluation would not test it");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void OnnxRuntimeRunsTheSameNetwork(string name)
    {
        var m = BenchWorkloads.Inference(name);
        string path = InferenceOnnx.Write(m, dir);
        var check = InferenceCheck.Read(Path.Combine(dir, name + ".check.json"));
        Assert.Equal(name, check.Workload);
        Assert.Equal([1, 64], check.Cases.Select(c => c.Batch));
        foreach (var c in check.Cases)
        {
            var x = Tensor.FromArray(c.InputValues(), c.InputShape);
            Assert.Equal(m.Batch(c.Batch).ToArray(), x.ToArray());
            float[] sharpgrad = c.OutputValues();
            using (Autograd.NoGrad()) Assert.Equal(m.Model.Call(x).ToArray(), sharpgrad.Select(v => (double)v));
            var (ort, shape) = OnnxTestModels.RunOrt(path, x);
            Assert.Equal(c.OutputShape, shape);
            double diff = ort.Zip(sharpgrad, (a, b) => Math.Abs((double)a - b)).Max();
            Assert.True(diff <= 1e-4, $"{name} at batch {c.Batch}: ONNX Runtime differs from SharpGrad by {diff}");
        }
    }

    [Fact]
    public void BenchCommandExportsAndTimesInference()
    {
        var export = CliProcess.Run(["bench", "--export-onnx", dir, "--only", "infer-mlp"]);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "infer-mlp.onnx")) && File.Exists(Path.Combine(dir, "infer-mlp.check.json")), export.ToString());
        // Only inference models have an ONNX form here: a training workload is a usage error (exit 2).
        Assert.Equal(2, CliProcess.Run(["bench", "--export-onnx", dir, "--only", "lenet"]).ExitCode);

        var run = CliProcess.Run(["bench", "--json", "--only", "infer-mlp", "--seconds", "0.01", "--warmup", "0", "--warmup-steps", "0"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.True(json.GetProperty("infer_mlp_b1_latency_us").GetDouble() > 0);
        Assert.True(json.GetProperty("infer_mlp_b64_samples_per_s").GetDouble() > 0);
        // 2 × (784·512 + 512·512 + 512·10) multiply-adds per sample, at either batch size.
        Assert.Equal(1_337_344, json.GetProperty("infer_mlp_b1_flop_per_item").GetDouble());
        Assert.Equal(1_337_344, json.GetProperty("infer_mlp_b64_flop_per_item").GetDouble());
    }
}
