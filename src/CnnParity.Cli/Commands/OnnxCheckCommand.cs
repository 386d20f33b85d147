using System.CommandLine;
using System.Globalization;
using CnnParity.Cli.Options;
using CnnParity.Cli.Supervision;
using CnnParity.Onnx;
using CnnParity.Parity.Deployed;
using CnnParity.Parity.Triage;
using CnnParity.Reports.Metrics;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity onnx-check FILE --arch SPEC`: reads an .onnx file, checks it fits the spec (one line and exit 2 when it
/// does not: truncated, corrupt, another input or output shape, other parameters), then scores the test images with
/// ONNX Runtime and ML.NET and proves the graph equal to the from-scratch network and the TorchSharp twin at the file's
/// own weights. Exit 0 when it is, 1 when a comparison fails.
/// </summary>
public static class OnnxCheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the .onnx model" };
        var arch = new ArchOptions();
        var test = CliOptions.Positive("--test", "score the first N test images", 10000, 10000);
        var threads = CliOptions.Threads();
        var data = CliOptions.Data();
        var dataset = CliOptions.OneOf("--dataset", "named dataset", "mnist", "mnist", "fashion-mnist");
        var command = new Command("onnx-check", "Check an ONNX model against a spec: score it (ONNX Runtime, ML.NET) and prove it equal to the from-scratch network.");
        command.Arguments.Add(file);
        arch.AddTo(command);
        foreach (var option in new Option[] { test, threads, data, dataset }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var spec = arch.Spec(parsed);
            var model = OnnxModelFile.Read(parsed.GetValue(file)!, spec);
            int count = parsed.GetValue(test);
            return BackendGuard.Run(new BackendRun(spec.DisplayName,
                BackendProbe.Forward(spec, count),
                () => Check(parsed, model, count, dataset, data, threads),
                crash => CrashReports.Printed(crash)));
        });
        return command;
    }

    static int Check(ParseResult parsed, OnnxModelFile model, int count, Option<string> dataset, Option<string?> data, Option<int> threads)
    {
        Interruption.Activity = "loading the data";
        var (images, _) = DataLoading.Load(parsed.GetValue(dataset)!, parsed.GetValue(data), 1, count);
        TorchRuntime.Pin();
        Interruption.Activity = $"scoring {model.Name}";
        var result = DeployedModelParity.Run(model, images.TestImages, images.TestLabels, parsed.GetValue(threads));
        var metrics = MlNetMetrics.Evaluate(result.MlNet);
        Interruption.ThrowIfRequested();

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"model: {model.Name}: {result.Arch}, opset {result.Opset}, IR {result.IrVersion}, {result.Nodes} nodes, {result.Parameters:N0} parameters; weights: {result.Weights}"));
        Console.WriteLine(string.Create(c, $"accuracy on {result.TestCount:N0} test images: ") +
            string.Join(", ", result.Accuracies.Select(a => string.Create(c, $"{a.Model} {a.Accuracy:F4}"))));
        Console.WriteLine(string.Create(c, $"ML.NET multiclass metrics: micro accuracy {metrics.MicroAccuracy:F4}, macro accuracy {metrics.MacroAccuracy:F4}") +
            (metrics.LogLoss is double logLoss ? string.Create(c, $", log-loss {logLoss:F4}") : $", log-loss unavailable ({metrics.LogLossUnavailable})"));
        foreach (var r in result.Checks)
            Console.WriteLine($"{r.Tensor,-13} " + string.Join(", ", r.Sides.Select(s => string.Create(c,
                $"{s.Side} {Sci(s.MaxAbs)} ({TriagedCheck.Number(s.Ratio)}× bound)"))) + $": {r.Verdict}");
        foreach (var r in result.Checks.Where(r => !r.Pass)) Console.WriteLine($"FAIL {r.FailLine()}");
        Console.WriteLine(string.Create(c, $"classes unlike the float64 truth's, of {result.TestCount:N0} images: ") + string.Join(", ", result.Agreements.Select(a =>
            string.Create(c, $"{a.Implementation} {a.Flipped}{(a.Unexplained > 0 ? $" ({a.Unexplained} beyond rounding)" : "")}"))));
        Console.WriteLine(result.Pass ? "PASS" : "FAIL");
        return result.Pass ? 0 : 1;
    }

    static string Sci(double x) => x == 0 ? "0" : x.ToString("0.00e+0", CultureInfo.InvariantCulture);
}
