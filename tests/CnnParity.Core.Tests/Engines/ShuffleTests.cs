using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// <see cref="SpecTrainerOptions.Shuffle"/>: each epoch's order is <c>np.random.permutation(n)</c> drawn where a NumPy loop
/// draws it (after the weights and the previous epoch's masks), each batch trains the images of its slice of that order,
/// the run repeats itself for any thread count, and it is another run than the one in file order. Synthetic images.
/// </summary>
public class ShuffleTests
{
    private static ScratchData Synthetic(int train, int test)
    {
        (double[] trainImages, byte[] trainLabels) = SpecNetworkTests.Batch(train, 4);
        (double[] testImages, byte[] testLabels) = SpecNetworkTests.Batch(test, 5);
        return new ScratchData(trainImages, trainLabels, testImages, testLabels);
    }

    private static SpecTrainerOptions Options(Dtype dtype) => new(ArchitectureSpec.Parse(SpecNetworkTests.EveryKind))
    {
        Dtype = dtype, BatchSize = 16, TrainCount = 40, TestCount = 30, Epochs = 2, Momentum = 0.9, Seed = 3, Shuffle = true,
    };

    /// <summary>The stream a NumPy program draws: seed, weights, then per epoch permutation(n) and each batch's masks.</summary>
    [Fact]
    public void Each_epochs_order_is_the_numpy_permutation_drawn_before_its_masks()
    {
        SpecTrainerOptions options = Options(Dtype.Float64) with { Threads = 2 };
        var trainer = new SpecTrainer(options, Synthetic(40, 30));
        var orders = new List<TrainingOrder>();
        trainer.BatchCompleted = step => orders.Add(step.Order);
        trainer.RunEpoch();
        trainer.RunEpoch();

        var numpy = new NumPyRandomState(options.Seed);
        ParameterSet<double>.Initialize(options.Spec, numpy);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            int[] expected = numpy.Permutation(options.TrainCount);
            for (int batch = 0; batch < options.BatchesPerEpoch; batch++)
            {
                TrainingOrder order = orders[epoch * options.BatchesPerEpoch + batch];
                Assert.True(order.IsShuffled);
                Assert.Equal(expected, Enumerable.Range(0, options.TrainCount).Select(order.ImageAt));
                DropoutMasks.Draw(options.Spec, options.BatchSize, numpy);
            }
        }
        Assert.NotEqual(Enumerable.Range(0, 40).Select(orders[0].ImageAt), Enumerable.Range(0, 40).Select(orders[^1].ImageAt));
        Assert.Equal(numpy.NextUInt32(), trainer.Random.NextUInt32());
    }

    [Fact]
    public void A_batch_takes_the_images_and_labels_of_its_slice_of_the_order()
    {
        ScratchData data = Synthetic(40, 1);
        var random = new NumPyRandomState(9);
        SpecTrainerOptions options = Options(Dtype.Float64);
        TrainingOrder order = TrainingOrder.ForEpoch(options, random);
        int pixels = options.Spec.Input.Size;
        double[] images = order.Images(data, 1, 16, pixels, new double[16 * pixels]).ToArray();
        byte[] labels = order.Labels(data, 1, 16, new byte[16]).ToArray();
        for (int k = 0; k < 16; k++)
        {
            int image = order.ImageAt(16 + k);
            Assert.Equal(data.TrainImages.AsSpan(image * pixels, pixels).ToArray(), images.AsSpan(k * pixels, pixels).ToArray());
            Assert.Equal(data.TrainLabels[image], labels[k]);
        }
        Assert.Same(TrainingOrder.FileOrder, TrainingOrder.ForEpoch(options with { Shuffle = false }, random));
        Assert.Equal(data.TrainImages.AsSpan(16 * pixels, 16 * pixels).ToArray(),
            TrainingOrder.FileOrder.Images(data, 1, 16, pixels, []).ToArray());
    }

    [Theory]
    [InlineData(Dtype.Float64)]
    [InlineData(Dtype.Float32)]
    public void A_shuffled_run_repeats_itself_for_one_and_two_threads_and_is_another_run_than_file_order(Dtype dtype)
    {
        ScratchData data = Synthetic(40, 30);
        var outcomes = new List<string>();
        var logits = new List<double[]>();
        foreach (SpecTrainerOptions options in new[] { Options(dtype) with { Threads = 1 }, Options(dtype) with { Threads = 2 }, Options(dtype) with { Threads = 2, Shuffle = false } })
        {
            var trainer = new SpecTrainer(options, data);
            EpochOutcome a = trainer.RunEpoch(), b = trainer.RunEpoch();
            outcomes.Add($"{a.TrainLoss:R} {a.TrainCorrect} {a.TestCorrect} {b.TrainLoss:R} {b.TrainCorrect} {b.TestCorrect}");
            logits.Add(trainer.TestLogits(30));
        }
        Assert.Equal(outcomes[0], outcomes[1]);
        Golden.AssertBitwise("test logits, 2 threads", logits[0], logits[1]);
        Assert.NotEqual(outcomes[0], outcomes[2]);
        Assert.NotEqual(logits[0], logits[2]);
    }
}
