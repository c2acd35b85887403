using SharpGrad.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace SharpGrad.Cli;

/// <summary>The <c>sharpgrad</c> command line: one line per command; each command lives in its own file.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        // Redirected output has no width: keep every line whole instead of wrapping it at Spectre's default 80.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = int.MaxValue / 2;
        if (Threads.EnvironmentError() is { } bad)
        {
            CliErrors.Write(bad);
            return ExitCodes.Usage;
        }
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("sharpgrad");
            config.SetApplicationVersion(Checkpoint.LibraryVersion);
            // Every command, present or added later, gets strict options, the exit-code help and one error path.
            config.SetInterceptor(new StrictOptions());
            config.SetHelpProvider(new ExitCodeHelp(config.Settings));
            config.SetExceptionHandler((e, _) => CliErrors.Report(e, args));
            config.AddCommand<LabCommand>("lab").WithDescription("Run an assignment lab, or all of them, and write the HTML report.")
                .WithExample("lab", "all", "--out", "lab-out").WithExample("lab", "gan-game", "--json");
            config.AddCommand<TrainCommand>("train").WithDescription("Train lenet, mlp, cnn, vgg or vgg-wide on Fashion-MNIST (or any MNIST-format folder), with checkpoints and figures.");
            config.AddCommand<EvalCommand>("eval").WithDescription("Evaluate a checkpoint written by 'train', or an ONNX model (--onnx), on the test set.");
            config.AddCommand<ExportCommand>("export").WithDescription("Write a checkpoint's model as an ONNX file for ONNX Runtime.")
                .WithExample("export", "--checkpoint", "runs/lenet/checkpoint.safetensors", "--onnx", "lenet.onnx");
            config.AddBranch("onnx", onnx =>
            {
                onnx.SetDescription("ONNX tools.");
                onnx.AddCommand<OnnxTestCommand>("test").WithDescription("Run ONNX backend test cases (model.onnx + test_data_set_*) and count passed, failed and unsupported.")
                    .WithExample("onnx", "test", "/usr/share/libonnx-testdata/data/node", "--json");
            });
            config.AddCommand<SummaryCommand>("summary").WithDescription("Print a model's layers as PyTorch does and its output shapes, parameters and mult-adds as torchinfo does.")
                .WithExample("summary", "--model", "cnn", "--batch", "64");
            config.AddCommand<AddingCommand>("adding").WithDescription("Train an LSTM on the adding problem (default T = 400, 128 units) until its held-out MSE is below 0.01 or 15 minutes pass.")
                .WithExample("adding", "--length", "400", "--out", "runs/adding-T400");
            config.AddCommand<BenchCommand>("bench").WithDescription("Time SharpGrad on the peer workloads (GEMM, LeNet, MLP, LSTM training); bench/peers.sh sets PyTorch beside it.").WithExample("bench", "--json", "--threads", "1");
        });
        return app.Run(args);
    }
}
