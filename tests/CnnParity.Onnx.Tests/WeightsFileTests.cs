using System.Diagnostics;
using CnnParity.Core.Architecture;
using CnnParity.Core;
using CnnParity.Core.NumPy;
using CnnParity.Testing.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Onnx.Tests;

public class WeightsFileTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("cnnparity-weights-").FullName;
    static readonly ArchitectureSpec Spec = ArchitectureSpec.Parse("conv(c=2,k=3) relu flatten dense(10)");

    string PathOf(string name) => Path.Combine(folder, name);

    static Dictionary<string, double[]> Values(ArchitectureSpec spec) =>
        spec.Parameters.ToDictionary(p => p.Name, p => Enumerable.Range(0, p.Size).Select(i => i * 0.1 - 1 / 3.0).ToArray());

    [Fact]
    public void StateDictNamesRoundTripBitForBit()
    {
        var values = Values(Spec);
        WeightsFile.Save(PathOf("w.npz"), Spec, n => values[n]);
        var loaded = WeightsFile.Load(PathOf("w.npz"), Spec);
        Assert.Equal(["conv1.weight", "conv1.bias", "dense1.weight", "dense1.bias"], loaded.Keys);
        foreach (var (name, v) in values) Assert.Equal(v, loaded[name]);
        Assert.Equal([2, 1, 3, 3], Npz.Load(PathOf("w.npz"))["conv1.weight"].Shape);
        Assert.Equal([2], Npz.Load(PathOf("w.npz"))["conv1.bias"].Shape);
    }

    [Fact]
    public void Chapter10KeepsTheNotebooksArrays()
    {
        var config = new ScratchConfig { NumKernels = 3, Grid = 25 };
        var network = ScratchNetwork.Initialize(config, new NumPyRandomState(1));
        WeightsFile.SaveChapter10(PathOf("ch10.npz"), network);
        var arrays = Npz.Load(PathOf("ch10.npz"));
        Assert.Equal([9, 3], arrays["kernels"].Shape);
        Assert.Equal([625 * 3, 10], arrays["weights_1_2"].Shape);
        var (kernels, weights) = WeightsFile.LoadChapter10(PathOf("ch10.npz"), config);
        Assert.Equal(network.Kernels, kernels);
        Assert.Equal(network.WeightsOneTwo, weights);
        var other = Assert.Throws<CnnParityException>(() => WeightsFile.LoadChapter10(PathOf("ch10.npz"), config with { Grid = 26 }));
        Assert.Contains("'weights_1_2' has shape (1875, 10), ch10 (K=3, grid 26) needs (2028, 10)", other.Message);
    }

    [SkippableFact]
    public void NumPyLoadsTheFile()
    {
        const string python = "/usr/bin/python3";
        Skip.IfNot(File.Exists(python), "no /usr/bin/python3");
        var values = Values(Spec);
        WeightsFile.Save(PathOf("w.npz"), Spec, n => values[n]);
        var start = new ProcessStartInfo(python, ["-c",
            "import sys, numpy as np; f = np.load(sys.argv[1]); print(' '.join(f'{k}{f[k].shape}{f[k].dtype}' for k in f.files)); print(repr(f['dense1.weight'][3, 7]))",
            PathOf("w.npz")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Skip.If(error.Contains("No module named 'numpy'"), "python3-numpy is not installed");
        Assert.True(process.ExitCode == 0, error);
        Assert.Equal("conv1.weight(2, 1, 3, 3)float64 conv1.bias(2,)float64 dense1.weight(10, 1352)float64 dense1.bias(10,)float64",
            output.Split('\n')[0]);
        Assert.Equal(PythonFloat.Repr(values["dense1.weight"][3 * 1352 + 7]), output.Split('\n')[1]);
    }

    [Fact]
    public void AFileThatDoesNotFitTheSpecIsOneLine()
    {
        var values = Values(Spec);
        WeightsFile.Save(PathOf("w.npz"), Spec, n => values[n]);
        File.WriteAllText(PathOf("text.npz"), "not a zip");
        File.WriteAllBytes(PathOf("nan.npz"), NpzWriter.Write(Spec.Parameters.Select(p =>
            (p.Name, p.Shape, p.Name == "dense1.bias" ? Enumerable.Repeat(double.NaN, 10).ToArray() : values[p.Name]))));
        File.WriteAllBytes(PathOf("missing.npz"), NpzWriter.Write(Spec.Parameters.Skip(1).Select(p => (p.Name, p.Shape, values[p.Name]))));
        var cases = new (string File, ArchitectureSpec Spec, string Message)[]
        {
            ("w.npz", ArchitectureSpec.Parse("conv(c=3,k=3) relu flatten dense(10)"), "'conv1.weight' has shape (2, 1, 3, 3), conv(c=3,k=3) relu flatten dense(10) needs (3, 1, 3, 3)"),
            ("w.npz", ArchitectureSpec.Parse("conv(c=2,k=3,bias=false) relu flatten dense(10)"), "has arrays that conv(c=2,k=3,bias=false) relu flatten dense(10) does not: conv1.bias"),
            ("missing.npz", Spec, "has no array 'conv1.weight'"),
            ("nan.npz", Spec, "'dense1.bias' has NaN or infinite values"),
            ("text.npz", Spec, "is not a NumPy .npz"),
            ("absent.npz", Spec, "cannot read the weights file"),
        };
        foreach (var (file, spec, message) in cases)
        {
            var e = Assert.Throws<CnnParityException>(() => WeightsFile.Load(PathOf(file), spec));
            Assert.Contains(message, e.Message);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Equal(2, e.ExitCode);
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
