using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;
using CnnParity.Core.Tests.Scratch;

namespace CnnParity.Core.Tests.Fast;

/// <summary>
/// The fast path in lockstep with the faithful one on real MNIST, every tensor of every batch, for the two configurations
/// that matter (the seed notebook's K=4 on 26x26, the book's K=16 on 25x25). Both engines against NumPy's own tensors
/// are in <see cref="BatchGoldenTests"/>; the whole 300-epoch runs in <see cref="TrainingLogTests"/> (fast engine).
/// </summary>
public class FastGoldenTests
{
    public static TheoryData<TrainingMode, int, int, VectorWidth> RealShapes => new()
    {
        { TrainingMode.Book, 4, 26, VectorWidth.Bits256 },
        { TrainingMode.Book, 16, 25, VectorWidth.Bits256 },
        { TrainingMode.Corrected, 4, 26, VectorWidth.Bits256 },
        { TrainingMode.Corrected, 16, 25, VectorWidth.Bits256 },
        { TrainingMode.Book, 4, 26, VectorWidth.Bits512 },
        { TrainingMode.Book, 16, 25, VectorWidth.Bits512 },
        { TrainingMode.Corrected, 4, 26, VectorWidth.Bits512 },
        { TrainingMode.Corrected, 16, 25, VectorWidth.Bits512 },
    };

    [SkippableTheory]
    [MemberData(nameof(RealShapes))]
    public void Every_tensor_of_three_real_epochs_has_the_faithful_bits(TrainingMode mode, int kernels, int grid, VectorWidth width)
    {
        string mnist = Golden.RequireMnist();
        var config = ScratchConfig.SeedNotebook with { NumKernels = kernels, Grid = grid, Mode = mode, Epochs = 3, TestCount = 1000, Threads = 2 };
        Assert.Equal(21, FastPath.Lockstep(config, ScratchData.Load(mnist, config.TrainCount, config.TestCount), width));
    }
}
