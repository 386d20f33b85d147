using System.Diagnostics;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;
using CnnParity.Testing.NumPy;
using Xunit.Abstractions;

namespace CnnParity.Core.Tests.Scratch;

/// <summary>
/// Whole training runs on real MNIST against the log lines (and final weights) of full runs of
/// reference/cnn_reference.py kept in reference/golden/runs.
/// </summary>
public class TrainingLogTests(ITestOutputHelper output)
{
    private static string[] ReferenceLog(string name) =>
        File.ReadAllLines(Golden.PathOf("runs", $"{name}.log")).Where(l => l.Length > 0).ToArray();

    private (ScratchTrainer Trainer, string[] Lines) Train(ScratchConfig config, string reference)
    {
        string mnist = Golden.RequireMnist();
        // The np.exp of the machine that made the reference run, not this machine's.
        config = config with { Exp = GoldenRun.Exp(Golden.PathOf("runs", $"{reference}.json")) };
        var trainer = new ScratchTrainer(config, ScratchData.Load(mnist, config.TrainCount, config.TestCount));
        var clock = Stopwatch.StartNew();
        string[] lines = trainer.Train().Select(e => e.LogLine).ToArray();
        output.WriteLine($"{config.Epochs} epochs of K={config.NumKernels} grid {config.Grid}: {clock.Elapsed.TotalSeconds:F1} s " +
                         $"({clock.Elapsed.TotalSeconds / Math.Max(1, config.Epochs):F3} s per epoch, {config.Threads} threads)");
        return (trainer, lines);
    }

    [SkippableFact]
    public void Seed_1_four_kernels_five_epochs_prints_the_reference_lines()
    {
        (_, string[] lines) = Train(ScratchConfig.SeedNotebook with { Epochs = 5 }, "k4_g26_seed1_300");
        Assert.Equal(ReferenceLog("k4_g26_seed1_300").Take(5), lines);
        Assert.Equal("I: 0 | Test-Acc: 0.0747 | Train-Acc: 0.086", lines[0]);
    }

    [SkippableFact]
    [Trait("Category", "Long")]
    public void Seed_1_four_kernels_300_epochs_log_and_final_weights_are_numpy_bits()
    {
        (ScratchTrainer trainer, string[] lines) = Train(ScratchConfig.SeedNotebook, "k4_g26_seed1_300");
        Assert.Equal(ReferenceLog("k4_g26_seed1_300"), lines);
        var final = Npz.Load(Golden.PathOf("runs", "k4_g26_seed1_300_final_weights.npz"));
        Golden.AssertBitwise("final kernels", final["kernels"].ToDoubleArray(), trainer.Network.Kernels);
        Golden.AssertBitwise("final weights_1_2", final["weights_1_2"].ToDoubleArray(), trainer.Network.WeightsOneTwo);
    }

    [SkippableTheory]
    [Trait("Category", "Long")]
    [InlineData(25)]
    [InlineData(26)]
    public void Seed_1_sixteen_kernels_300_epochs_log_is_numpy_log(int grid)
    {
        (_, string[] lines) = Train(ScratchConfig.SeedNotebook with { NumKernels = 16, Grid = grid }, $"k16_g{grid}_seed1_300");
        string[] reference = ReferenceLog($"k16_g{grid}_seed1_300");
        int same = reference.Zip(lines).Count(p => p.First == p.Second);
        output.WriteLine($"{same} of {reference.Length} lines identical");
        Assert.Equal(reference, lines);
    }
}
