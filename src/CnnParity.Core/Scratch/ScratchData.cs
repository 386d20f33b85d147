using CnnParity.Core.Architecture;
using CnnParity.Core.Data;

namespace CnnParity.Core.Scratch;

/// <summary>
/// The network's inputs as the notebook prepares them: pixels <c>x / 255</c> (float64 division), one-hot
/// training labels, and the class of every test image (a one-hot row's argmax).
/// </summary>
public sealed class ScratchData
{
    /// <summary>TrainCount × 784, row-major.</summary>
    public double[] TrainImages { get; }

    /// <summary>TrainCount × 10.</summary>
    public double[] TrainOneHot { get; }

    /// <summary>TrainCount classes.</summary>
    public byte[] TrainLabels { get; }

    /// <summary>TestCount × 784, row-major.</summary>
    public double[] TestImages { get; }

    /// <summary>TestCount classes.</summary>
    public byte[] TestLabels { get; }

    public int TrainCount => TrainLabels.Length;

    public int TestCount => TestLabels.Length;

    public ScratchData(double[] trainImages, byte[] trainLabels, double[] testImages, byte[] testLabels)
    {
        if (trainImages.Length != trainLabels.Length * ScratchConfig.Pixels || testImages.Length != testLabels.Length * ScratchConfig.Pixels)
        {
            throw new ArgumentException("images and labels disagree in count");
        }
        if (trainLabels.Concat(testLabels).Any(l => l >= ArchitectureSpec.Classes))
        {
            throw new CnnParityException("a label is outside 0..9");
        }
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        TrainOneHot = new double[trainLabels.Length * ArchitectureSpec.Classes];
        for (int i = 0; i < trainLabels.Length; i++)
        {
            TrainOneHot[i * ArchitectureSpec.Classes + trainLabels[i]] = 1.0;
        }
    }

    /// <summary>The first <paramref name="trainCount"/> / <paramref name="testCount"/> images of two loaded splits.</summary>
    public static ScratchData From(LabelledImages train, LabelledImages test, int trainCount, int testCount)
    {
        if (train.Rows != ScratchConfig.ImageSide || train.Cols != ScratchConfig.ImageSide ||
            test.Rows != ScratchConfig.ImageSide || test.Cols != ScratchConfig.ImageSide)
        {
            throw new CnnParityException($"the network needs 28x28 images, got {train.Rows}x{train.Cols} and {test.Rows}x{test.Cols}");
        }
        LabelledImages tr = train.Take(trainCount), te = test.Take(testCount);
        return new ScratchData(tr.NormalisedPixels(), tr.Labels, te.NormalisedPixels(), te.Labels);
    }

    /// <summary>Loads MNIST from a folder holding the four gzip IDX files.</summary>
    public static ScratchData Load(string folder, int trainCount, int testCount) =>
        From(LabelledImages.Load(folder, DatasetCatalog.Mnist, DatasetSplit.Train),
             LabelledImages.Load(folder, DatasetCatalog.Mnist, DatasetSplit.Test), trainCount, testCount);
}
