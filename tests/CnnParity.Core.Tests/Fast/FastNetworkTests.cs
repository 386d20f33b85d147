using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Fast;

/// <summary>
/// The fast path against the faithful one on synthetic images (no MNIST needed): every tensor of every batch,
/// both update rules, kernel counts that do and do not fill a vector (of four or of eight), both grids, several
/// epochs, both vector widths; the thread count; weights that are not finite; and no allocation per batch.
/// </summary>
public class FastNetworkTests
{
    // Kernel counts: 4 and 16 (the real ones), 3, 5, 6 (a part-filled vector of four), 8 (one vector of eight), 12 and 13
    // (eight, then four, then one: every kind of group at the 512-bit width).
    private static readonly (TrainingMode Mode, int Kernels, int Grid)[] ShapeList =
    [
        (TrainingMode.Book, 4, 26), (TrainingMode.Book, 16, 25), (TrainingMode.Book, 3, 26), (TrainingMode.Book, 6, 7), (TrainingMode.Book, 8, 25),
        (TrainingMode.Book, 13, 26), (TrainingMode.Corrected, 4, 26), (TrainingMode.Corrected, 16, 25),
        (TrainingMode.Corrected, 5, 25), (TrainingMode.Corrected, 12, 26),
    ];

    public static TheoryData<TrainingMode, int, int, VectorWidth> Shapes
    {
        get
        {
            var data = new TheoryData<TrainingMode, int, int, VectorWidth>();
            foreach (var (mode, kernels, grid) in ShapeList)
            {
                foreach (VectorWidth width in FastPath.Widths)
                {
                    data.Add(mode, kernels, grid, width);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_tensor_of_every_batch_has_the_faithful_bits(TrainingMode mode, int kernels, int grid, VectorWidth width)
    {
        ScratchData data = FastPath.Synthetic(48, 23);
        var config = new ScratchConfig
        {
            NumKernels = kernels, Grid = grid, BatchSize = 16, TrainCount = 48, TestCount = 23, Epochs = 3, Mode = mode, Threads = 2,
        };
        Assert.Equal(9, FastPath.Lockstep(config, data, width));
    }

    [Fact]
    public void The_default_width_is_the_one_the_jit_accelerates()
    {
        var network = new FastNetwork(ScratchNetwork.Initialize(ScratchConfig.SeedNotebook, new NumPyRandomState(1)));
        Assert.Equal(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? VectorWidth.Bits512 : VectorWidth.Bits256, network.Width);
    }

    [Theory]
    [InlineData(TrainingMode.Book)]
    [InlineData(TrainingMode.Corrected)]
    public void One_two_and_four_threads_give_the_same_bits(TrainingMode mode)
    {
        ScratchData data = FastPath.Synthetic(40, 37);
        var config = new ScratchConfig { NumKernels = 8, Grid = 26, BatchSize = 20, TrainCount = 40, TestCount = 37, Epochs = 2, Mode = mode };
        ScratchTrainer Run(int threads)
        {
            var trainer = new ScratchTrainer(config with { Threads = threads, Engine = ScratchEngine.Fast }, data);
            trainer.Run();
            return trainer;
        }
        double[] TestLogits(ScratchTrainer trainer) => new FastNetwork(trainer.Network).TestLogits(data.TestImages, 37);
        ScratchTrainer one = Run(1);
        foreach (int threads in new[] { 2, 4 })
        {
            ScratchTrainer other = Run(threads);
            Golden.AssertBitwise($"kernels, {threads} threads", one.Network.Kernels, other.Network.Kernels);
            Golden.AssertBitwise($"weights_1_2, {threads} threads", one.Network.WeightsOneTwo, other.Network.WeightsOneTwo);
            Golden.AssertBitwise($"test logits, {threads} threads", TestLogits(one), TestLogits(other));
        }
    }

    [Theory]
    [InlineData(double.PositiveInfinity, TrainingMode.Book, VectorWidth.Bits256)]
    [InlineData(double.NaN, TrainingMode.Book, VectorWidth.Bits256)]
    [InlineData(1e305, TrainingMode.Book, VectorWidth.Bits256)]
    [InlineData(double.NegativeInfinity, TrainingMode.Corrected, VectorWidth.Bits256)]
    [InlineData(double.PositiveInfinity, TrainingMode.Book, VectorWidth.Bits512)]
    [InlineData(double.NaN, TrainingMode.Book, VectorWidth.Bits512)]
    [InlineData(1e305, TrainingMode.Book, VectorWidth.Bits512)]
    [InlineData(double.NegativeInfinity, TrainingMode.Corrected, VectorWidth.Bits512)]
    public void Weights_that_are_not_finite_propagate_as_in_the_faithful_path(double bad, TrainingMode mode, VectorWidth width)
    {
        // Skipping ±0 terms is only exact for finite factors; with an inf or NaN weight every term must be computed,
        // and NaN, inf and every finite value must come out where the faithful path has them (any NaN for a NaN).
        ScratchData data = FastPath.Synthetic(32, 13);
        var config = new ScratchConfig { NumKernels = 4, Grid = 26, BatchSize = 16, TrainCount = 32, TestCount = 13, Epochs = 2, Mode = mode, Threads = 2 };
        FastPath.Lockstep(config, data, width, network => network.WeightsOneTwo[7 * 10 + 3] = bad, anyNaN: true);
        FastPath.Lockstep(config, data, width, network => network.Kernels[5] = bad, anyNaN: true);
    }

    [Theory]
    [InlineData(1e305)]
    [InlineData(double.PositiveInfinity)]
    public void Trainers_without_an_observer_agree_when_the_weights_blow_up(double bad)
    {
        // Without an observer the fast path leaves the all-zero sections' units of layer_1 unwritten; a weight beyond
        // the bound (or a delta that is not finite) makes the backward pass sum every unit, which must then read +0.
        ScratchData data = FastPath.Synthetic(48, 17);
        var config = new ScratchConfig { NumKernels = 4, Grid = 26, BatchSize = 16, TrainCount = 48, TestCount = 17, Epochs = 2, Threads = 2 };
        ScratchTrainer Run(ScratchEngine engine)
        {
            var trainer = new ScratchTrainer(config with { Engine = engine }, data);
            trainer.Network.WeightsOneTwo[123] = bad;
            trainer.Run();
            return trainer;
        }
        ScratchTrainer faithful = Run(ScratchEngine.Faithful), fast = Run(ScratchEngine.Fast);
        FastPath.AssertBitsOrBothNaN("kernels", faithful.Network.Kernels, fast.Network.Kernels);
        FastPath.AssertBitsOrBothNaN("weights_1_2", faithful.Network.WeightsOneTwo, fast.Network.WeightsOneTwo);
    }

    [Theory]
    [InlineData(VectorWidth.Bits256)]
    [InlineData(VectorWidth.Bits512)]
    public void Blank_images_and_a_one_image_batch_work(VectorWidth width)
    {
        ScratchData data = FastPath.Synthetic(12, 12);
        // A small step: with B = 1 the book's step (alpha / B²) would make the run diverge into NaNs.
        var config = new ScratchConfig { NumKernels = 4, Grid = 26, BatchSize = 1, TrainCount = 12, TestCount = 12, Epochs = 1, Threads = 3, Alpha = 0.01 };
        FastPath.Lockstep(config, data, width); // image 5 of each set is blank
    }

    [Theory]
    [InlineData(VectorWidth.Bits256)]
    [InlineData(VectorWidth.Bits512)]
    public void A_training_batch_and_a_test_pass_allocate_nothing(VectorWidth width)
    {
        ScratchData data = FastPath.Synthetic(64, 50);
        foreach (TrainingMode mode in new[] { TrainingMode.Book, TrainingMode.Corrected })
        {
            // One thread: every part runs on this thread, so this thread's allocation counter sees all of it.
            var config = new ScratchConfig { NumKernels = 16, Grid = 26, BatchSize = 32, TrainCount = 64, TestCount = 50, Mode = mode, Threads = 1 };
            var random = new NumPyRandomState(1);
            var fast = FastNetwork.Initialize(config, random, width);
            var batch = new FastBatch(config, 32);
            var logits = new double[50 * ArchitectureSpec.Classes];
            void Step(int i)
            {
                fast.Forward(batch, data.TrainImages.AsSpan(i * 32 * 784, 32 * 784), random);
                if (mode == TrainingMode.Book)
                {
                    fast.BookUpdate(batch, data.TrainOneHot.AsSpan(i * 320, 320));
                }
                else
                {
                    fast.ApplyCorrected(fast.CorrectedBackward(batch, data.TrainOneHot.AsSpan(i * 320, 320)));
                }
                fast.TestLogits(data.TestImages, 50, logits);
            }
            Step(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Step(1);
            Step(0);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Active_sections_are_those_with_a_nonzero_pixel()
    {
        ScratchData data = FastPath.Synthetic(1, 30);
        var list = new int[676];
        for (int image = 0; image < 30; image++)
        {
            foreach (int grid in new[] { 26, 25, 3 })
            {
                double[] pixels = data.TestImages.AsSpan(image * 784, 784).ToArray();
                var expected = new List<int>();
                for (int r = 0; r < grid; r++)
                {
                    for (int c = 0; c < grid; c++)
                    {
                        bool any = false;
                        for (int d = 0; d < 9; d++)
                        {
                            any |= pixels[(r + d / 3) * 28 + c + d % 3] != 0;
                        }
                        if (any)
                        {
                            expected.Add(r * grid + c);
                        }
                    }
                }
                int count = Sections.Active(pixels, grid, list);
                Assert.Equal(expected, list.Take(count));
            }
        }
    }
}
