using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;
using CnnParity.Testing.NumPy;

namespace CnnParity.Core.Tests.Scratch;

/// <summary>
/// Every intermediate tensor of the dumped batches of reference/cnn_reference.py, bit for bit, on real MNIST, on
/// either engine (the fast path and the faithful <see cref="ScratchNetwork"/>): the trainer is run with the golden
/// run's configuration and each batch is compared as it ends.
/// </summary>
public class BatchGoldenTests
{
    public static TheoryData<string, ScratchEngine> Runs => new()
    {
        { "k4_g26_b128", ScratchEngine.Fast },
        { "small_k2_g26", ScratchEngine.Fast },
        { "small_k16_g25", ScratchEngine.Fast },
        { "k4_g26_b128", ScratchEngine.Faithful },
        { "small_k2_g26", ScratchEngine.Faithful },
        { "small_k16_g25", ScratchEngine.Faithful },
    };

    [SkippableTheory]
    [MemberData(nameof(Runs))]
    public void Every_dumped_tensor_is_bitwise_equal_to_numpy(string run, ScratchEngine engine)
    {
        string mnist = Golden.RequireMnist();
        GoldenRun golden = GoldenRun.Load(Golden.PathOf(run));
        var trainer = new ScratchTrainer(golden.Config with { Threads = 2, Engine = engine },
            ScratchData.Load(mnist, golden.Config.TrainCount, golden.Config.TestCount));
        var report = new TensorReport();

        if (golden.Arrays("initial_weights.npz") is { } initial)
        {
            report.Compare("initial kernels", initial["kernels"], trainer.Network.Kernels);
            report.Compare("initial weights_1_2", initial["weights_1_2"], trainer.Network.WeightsOneTwo);
        }
        double[] kernelsBefore = (double[])trainer.Network.Kernels.Clone();
        double[] weightsBefore = (double[])trainer.Network.WeightsOneTwo.Clone();
        int dumped = 0;
        trainer.BatchObserver = (s, epoch, batch, _) =>
        {
            if (golden.Arrays($"batch_e{epoch}_b{batch}.npz") is { } dump)
            {
                dumped++;
                foreach ((string name, NpyArray array) in dump)
                {
                    double[]? actual = GoldenTensorNames.Find(name, s, trainer.Network, kernelsBefore, weightsBefore);
                    if (actual == null)
                    {
                        report.Add($"epoch {epoch} batch {batch}: golden tensor '{name}' has no C# counterpart");
                    }
                    else
                    {
                        report.Compare($"epoch {epoch} batch {batch} {name}", array, actual);
                    }
                }
            }
            kernelsBefore = (double[])trainer.Network.Kernels.Clone();
            weightsBefore = (double[])trainer.Network.WeightsOneTwo.Clone();
        };

        string[] lines = trainer.Train().Select(e => e.LogLine).ToArray();

        if (golden.Arrays("final_weights.npz") is { } final)
        {
            report.Compare("final kernels", final["kernels"], trainer.Network.Kernels);
            report.Compare("final weights_1_2", final["weights_1_2"], trainer.Network.WeightsOneTwo);
        }
        report.AssertClean(minimumCompared: 10);
        Assert.True(dumped > 0, "no batch dump was compared");
        Assert.Equal(golden.LogLines(), lines);
    }
}
