using CnnParity.Core.Tests.Data;
using CnnParity.Onnx;
using CnnParity.Onnx.Export;
using CnnParity.Onnx.Tests;
using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// `export`, `onnx-check` and `train --save` as a user runs them: files ONNX's own checker accepts, a good model scored
/// and proved, a bad one refused in one line with exit 2, and no file written when the input is bad.
/// </summary>
public sealed class OnnxCommandTests : IDisposable
{
    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    string In(string name) => Path.Combine(work.Path, name);

    [SkippableTheory]
    [InlineData("lenet5")]
    [InlineData("ch10", "--kernels", "16", "--grid", "25")]
    public void ExportWritesAModelOnnxsCheckerAccepts(string arch, params string[] more)
    {
        PythonOnnx.SkipUnlessInstalled();
        var result = CliProcess.Run(work.Path, ["export", "--arch", arch, "--onnx", "m.onnx", .. more]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("wrote m.onnx: ", result.StdOut);
        var (code, output) = PythonOnnx.Check(In("m.onnx"));
        Assert.True(code == 0, output);
    }

    [SkippableFact]
    public void OnnxCheckScoresAGoodModelAndProvesItEqual()
    {
        string data = RealMnist.Require();
        Assert.Equal(0, CliProcess.Run(work.Path, "export", "--arch", "lenet5", "--onnx", "m.onnx", "--seed", "3").ExitCode);
        var result = CliProcess.Run(work.Path, "onnx-check", "m.onnx", "--arch", "lenet5", "--test", "300", "--data", data);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("model: m.onnx: lenet5, opset 13, IR 8, 13 nodes, 61,706 parameters; weights: initial weights of seed 3", result.OutputLines);
        Assert.Contains(result.OutputLines, l => l.StartsWith("accuracy on 300 test images: ONNX Runtime ", StringComparison.Ordinal));
        Assert.Contains("classes unlike the float64 truth's, of 300 images: ONNX Runtime 0, ML.NET ApplyOnnxModel 0, from-scratch (f32) 0, TorchSharp twin (f32) 0",
            result.OutputLines);
        Assert.Contains(result.OutputLines, l => l.StartsWith("logits        ONNX Runtime ", StringComparison.Ordinal) && l.EndsWith(": PASS", StringComparison.Ordinal));
        Assert.Equal("PASS", result.OutputLines[^1]);
    }

    public static TheoryData<string> BadCases => new(BadModelFiles.All().Select(c => c.Case));

    [Theory]
    [MemberData(nameof(BadCases))]
    public void OnnxCheckRefusesABadFileInOneLine(string name)
    {
        var bad = BadModelFiles.All().Single(c => c.Case == name);
        File.WriteAllBytes(In("bad.onnx"), bad.Bytes);
        var result = CliProcess.Run(work.Path, "onnx-check", "bad.onnx", "--arch", bad.Arch);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Empty(result.StdOut);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("cnnparity: ONNX model 'bad.onnx': ", line);
        Assert.Contains(bad.Message, line);
    }

    [Fact]
    public void OnnxCheckOfAMissingFileIsOneLine()
    {
        var result = CliProcess.Run(work.Path, "onnx-check", "absent.onnx", "--arch", "lenet5");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("cnnparity: cannot read the ONNX model 'absent.onnx'", Assert.Single(result.ErrorLines));
    }

    [SkippableFact]
    public void TrainSaveThenExportThenCheck()
    {
        string data = RealMnist.Require();
        var train = CliProcess.Run(work.Path, "train", "--data", data, "--train", "256", "--batch", "128", "--epochs", "2", "--test", "200",
            "--save", "w.npz");
        Assert.True(train.ExitCode == 0, train.ToString());
        var export = CliProcess.Run(work.Path, "export", "--weights", "w.npz", "--onnx", "m.onnx");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("(weights file w.npz (a run from seed 1))", export.StdOut);
        var check = CliProcess.Run(work.Path, "onnx-check", "m.onnx", "--test", "200", "--data", data);
        Assert.True(check.ExitCode == 0, check.ToString());
        // The trained weights, not the initial ones: the accuracy is the from-scratch run's last test accuracy.
        string last = train.OutputLines[^1];
        string accuracy = last[(last.IndexOf("Test-Acc: ", StringComparison.Ordinal) + 10)..last.IndexOf(" |", last.IndexOf("Test-Acc", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.Contains(check.OutputLines, l => l.StartsWith($"accuracy on 200 test images: ONNX Runtime {double.Parse(accuracy, System.Globalization.CultureInfo.InvariantCulture):F4}", StringComparison.Ordinal));
    }

    public static TheoryData<string[], string> BadExports => new()
    {
        { ["--weights", "w.npz", "--grid", "25"], "'weights_1_2' has shape (2704, 10), ch10 (K=4, grid 25) needs (2500, 10)" },
        { ["--weights", "w.npz", "--arch", "lenet5"], "the weights file 'w.npz' has arrays that lenet5 does not: kernels, weights_1_2" },
        { ["--weights", "text.npz"], "the weights file 'text.npz' is not a NumPy .npz" },
        { ["--weights", "absent.npz"], "cannot read the weights file 'absent.npz'" },
        { ["--arch", "conv(c=4,k=3) flatten dense(12)"], "spec layer 3 'dense(12)': the last layer must be dense(10)" },
        { ["--arch", "conv(c=4,k=3) batchnorm relu flatten dense(10)"], "layer batchnorm1 (batchnorm) has no ONNX export yet" },
    };

    [Theory]
    [MemberData(nameof(BadExports))]
    public void ExportOfBadInputWritesNothing(string[] options, string message)
    {
        // A ch10 weights file (K=4, 26x26) made here, so no training is needed.
        var config = new Core.Scratch.ScratchConfig();
        WeightsFile.SaveChapter10(In("w.npz"), Core.Scratch.ScratchNetwork.Initialize(config, new Core.NumPy.NumPyRandomState(1)));
        File.WriteAllText(In("text.npz"), "not a zip");
        var result = CliProcess.Run(work.Path, ["export", "--onnx", "m.onnx", .. options]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(In("m.onnx")));
        Assert.Equal(["text.npz", "w.npz"], work.Files().Order());
    }

    [SkippableFact]
    public void TheReportHasTheDeployedModelSection()
    {
        string outDir = In("r");
        var result = CliProcess.Run(work.Path, RealMnist.TinyReport(outDir));
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, JsonReportWriter.FileName)));
        var deployed = json.RootElement.GetProperty("deployed");
        Assert.True(deployed.GetProperty("pass").GetBoolean());
        Assert.Equal(200, deployed.GetProperty("testCount").GetInt32());
        Assert.All(deployed.GetProperty("agreements").EnumerateArray(), a => Assert.Equal(0, a.GetProperty("flipped").GetInt32()));
        // ML.NET's accuracy is the from-scratch network's: the same images classified the same way.
        var accuracies = deployed.GetProperty("accuracies").EnumerateArray().ToDictionary(a => a.GetProperty("model").GetString()!, a => a.GetProperty("correct").GetInt32());
        Assert.Equal(accuracies["from-scratch (f32)"], accuracies["ML.NET ApplyOnnxModel"]);
        Assert.Contains("## Deployed model (ONNX Runtime, ML.NET)", File.ReadAllText(Path.Combine(outDir, MarkdownReportWriter.FileName)));
    }

    [Fact]
    public void ExportIntoAFolderIsOneLine()
    {
        Directory.CreateDirectory(In("m.onnx"));
        var result = CliProcess.Run(work.Path, "export", "--arch", "lenet5", "--onnx", "m.onnx");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("cnnparity: --onnx 'm.onnx' is a folder, not a file", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void TrainSaveNeedsTheFromScratchNetwork()
    {
        var result = CliProcess.Run(work.Path, "train", "--impl", "twin", "--save", "w.npz");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("cnnparity: --save writes the from-scratch network's weights: use it with --impl scratch", Assert.Single(result.ErrorLines));
    }

    /// <summary>The exporter's file is the one the tests' <see cref="Model"/> builds: the command adds nothing of its own.</summary>
    [Fact]
    public void ExportWritesTheExportersBytes()
    {
        Assert.Equal(0, CliProcess.Run(work.Path, "export", "--arch", "lenet5", "--onnx", "m.onnx", "--seed", "3").ExitCode);
        Assert.Equal(new Model("lenet5", 3).Bytes, File.ReadAllBytes(In("m.onnx")));
        Assert.Contains(OnnxExporter.WeightsKey, File.ReadAllText(In("m.onnx")));
    }
}
