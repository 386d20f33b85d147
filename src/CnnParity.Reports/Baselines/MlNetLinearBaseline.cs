using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CnnParity.Reports.Baselines;

/// <summary>
/// A linear baseline from an independent library: multinomial logistic regression (ML.NET's
/// LbfgsMaximumEntropy) on the raw pixels of the same training images the CNNs see. It tells the reader what
/// the CNN buys over a linear model on 1000 images.
/// </summary>
/// <remarks>
/// L-BFGS rather than SDCA: it shuffles nothing and, on one thread, is deterministic for a given seed; on
/// 1000 MNIST images it trains in about a second, SDCA in ten.
/// </remarks>
public static class MlNetLinearBaseline
{
    public const string Trainer = "LbfgsMaximumEntropy";
    public const string ModelName = "ML.NET linear (" + Trainer + ")";

    /// <summary>Trains on the training images and returns its test predictions as a one-epoch run (epoch 0).</summary>
    /// <param name="trainPixels">row-major, 784 per image, already scaled to [0, 1] (x/255) as the networks see them</param>
    /// <param name="testPixels">row-major, 784 per image, scaled to [0, 1]</param>
    public static TrainingRun Train(double[] trainPixels, byte[] trainLabels, double[] testPixels, byte[] testLabels, int seed)
    {
        var train = Rows(trainPixels, trainLabels, nameof(trainPixels));
        var test = Rows(testPixels, testLabels, nameof(testPixels));

        var ml = new MLContext(seed);
        var trainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
            new LbfgsMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(train));

        var scoredTest = model.Transform(ml.Data.LoadFromEnumerable(test));
        var scoredTrain = model.Transform(ml.Data.LoadFromEnumerable(train));
        double testAcc = ml.MulticlassClassification.Evaluate(scoredTest).MicroAccuracy;
        double trainAcc = ml.MulticlassClassification.Evaluate(scoredTrain).MicroAccuracy;

        // Score index c is class c because the label is a key with the digits in order, not learned from the data.
        var scores = scoredTest.GetColumn<float[]>("Score").ToArray();
        var probabilities = new double[scores.Length * ArchitectureSpec.Classes];
        var predictions = new int[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            for (int c = 0; c < ArchitectureSpec.Classes; c++) probabilities[i * ArchitectureSpec.Classes + c] = scores[i][c];
            predictions[i] = NumPyArgMax.ArgMax<float>(scores[i]);
        }

        return new TrainingRun(ModelName, [new EpochRecord(0, testAcc, trainAcc)], [.. testLabels], predictions, probabilities);
    }

    private static PixelRow[] Rows(double[] pixels, byte[] labels, string name)
    {
        if (pixels.Length != labels.Length * ScratchConfig.Pixels)
            throw new ArgumentException($"{pixels.Length} pixels for {labels.Length} labels (want {ScratchConfig.Pixels} each)", name);
        var rows = new PixelRow[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= ArchitectureSpec.Classes) throw new ArgumentException($"label {labels[i]} at {i} is not a digit 0-9", name);
            var features = new float[ScratchConfig.Pixels];
            for (int j = 0; j < ScratchConfig.Pixels; j++)
            {
                double x = pixels[i * ScratchConfig.Pixels + j];
                if (!(x is >= 0 and <= 1))
                    throw new ArgumentException($"pixel {x} of image {i} is outside [0, 1]: pass x/255", name);
                features[j] = (float)x;
            }
            rows[i] = new PixelRow { Label = labels[i], Features = features };
        }
        return rows;
    }
}
