using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Core.Tests.NumPy;
using CnnParity.Core.Tests.Scratch;

namespace CnnParity.Core.Tests.Fast;

/// <summary>
/// Both engines on real MNIST against NumPy's own tensors and logs (reference/golden), and the fast path in lockstep
/// with the faithful one for the two configurations that matter (the seed notebook's K=4 on 26x26, the book's K=16 on
/// 25x25). The whole 300-epoch runs are in <see cref="TrainingLogTests"/>, which train on the default (fast) engine.
/// </summary>
public class FastGoldenTests
{
    private static string Mnist()
    {
        string? mnist = Golden.MnistFolder();
        Skip.If(mnist == null, "MNIST not found (../shared/data/mnist or $CNNPARITY_DATA)");
        return mnist!;
    }

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
    public void Every_dumped_numpy_tensor_is_matched_by_either_engine(string run, ScratchEngine engine)
    {
        string mnist = Mnist();
        GoldenRun golden = GoldenRun.Load(Golden.PathOf(run));
        var trainer = new ScratchTrainer(golden.Config with { Threads = 2, Engine = engine }, ScratchData.Load(mnist, golden.Config.TrainCount, golden.Config.TestCount));
        var report = new TensorReport();
        double[] kernelsBefore = (double[])trainer.Network.Kernels.Clone();
        int dumped = 0;
        trainer.BatchObserver = (s, epoch, batch, _) =>
        {
            if (golden.Arrays($"batch_e{epoch}_b{batch}.npz") is { } dump)
            {
                dumped++;
                foreach ((string name, NpyArray array) in dump)
                {
                    double[]? actual = GoldenTensorNames.Find(name, s, trainer.Network, kernelsBefore, null);
                    if (actual != null)
                    {
                        report.Compare($"epoch {epoch} batch {batch} {name}", array, actual);
                    }
                }
            }
            kernelsBefore = (double[])trainer.Network.Kernels.Clone();
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

    public static TheoryData<TrainingMode, int, int> RealShapes => new()
    {
        { TrainingMode.Book, 4, 26 },
        { TrainingMode.Book, 16, 25 },
        { TrainingMode.Corrected, 4, 26 },
        { TrainingMode.Corrected, 16, 25 },
    };

    [SkippableTheory]
    [MemberData(nameof(RealShapes))]
    public void Every_tensor_of_three_real_epochs_has_the_faithful_bits(TrainingMode mode, int kernels, int grid)
    {
        string mnist = Mnist();
        var config = ScratchConfig.SeedNotebook with { Kernels = kernels, Grid = grid, Mode = mode, Epochs = 3, TestCount = 1000, Threads = 2 };
        FastPath.Outcome outcome = FastPath.Lockstep(config, ScratchData.Load(mnist, config.TrainCount, config.TestCount));
        Assert.Equal(21, outcome.Batches);
    }
}
