using System.Text.Json;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Parity.Triage;
using CnnParity.Testing.NumPy;

namespace CnnParity.Parity.Tests.Triage;

/// <summary>The NumPy goldens as a third float64 opinion: as written they agree with the engine and the reference; a tensor perturbed in the golden is blamed on the golden.</summary>
public class NumPyGoldenTriageTests
{
    static (ArchitectureSpec Spec, uint Seed, int Batch, int Rows, Dictionary<string, double[]> Tensors) Load(string name)
    {
        string dir = Path.Combine(Repository.Root, "reference", "golden", "spec", name);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        var config = run.RootElement.GetProperty("config");
        var tensors = Npz.Load(Path.Combine(dir, "step_b0.npz")).ToDictionary(t => t.Key, t => t.Value.Descr switch
        {
            "|u1" => t.Value.ToByteArray().Select(b => (double)b).ToArray(),
            "<i8" => t.Value.ToInt64Array().Select(b => (double)b).ToArray(),
            _ => t.Value.ToDoubleArray(),
        });
        return (ArchitectureSpec.Parse(config.GetProperty("spec").GetString()!), (uint)config.GetProperty("seed").GetInt32(),
            config.GetProperty("batch").GetInt32(), config.GetProperty("dump_rows").GetInt32(), tensors);
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("lenet5-relu")]
    [InlineData("every-kind")]
    public void The_goldens_agree_with_the_engine_and_the_reference(string name)
    {
        var (spec, seed, batch, rows, tensors) = Load(name);
        var checks = NumPyGoldenTriage.Judge(spec, seed, batch, rows, tensors, NumPyExpKernel.Svml);
        Assert.All(checks, c => Assert.True(c.Pass, c.FailLine()));
        Assert.Equal(spec.Layers.Count + 1 + spec.Parameters.Count, checks.Count);
    }

    [Theory]
    [InlineData("out_conv2", 17)]
    [InlineData("grad_dense1.weight", 4000)]
    public void A_perturbed_golden_tensor_is_blamed_on_the_golden(string key, int index)
    {
        var (spec, seed, batch, rows, tensors) = Load("lenet5");
        tensors[key][index] *= 1 + 1e-9;
        var failed = Assert.Single(NumPyGoldenTriage.Judge(spec, seed, batch, rows, tensors, NumPyExpKernel.Svml), c => !c.Pass);
        Assert.Equal(key[(key.IndexOf('_') + 1)..], failed.Tensor);
        Assert.Equal(NumPyGoldenTriage.Golden, Assert.Single(failed.Blamed).Side);
        Assert.StartsWith("float64 reference (agrees with engine)", failed.Truth);
        Assert.StartsWith($"NumPy golden {failed.Tensor} (f64", failed.FailLine());
    }
}
