using CnnParity.Core.Scratch;
using CnnParity.Reports;
using CnnParity.Reports.Baselines;

namespace CnnParity.Reports.Tests;

public class MlNetLinearBaselineTests
{
    /// <summary>Digit d lights pixel block d (78 pixels) brightly, over faint noise everywhere: linearly separable.</summary>
    private static (double[] Pixels, byte[] Labels) Separable(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new double[count * ScratchConfig.Pixels];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            for (int j = 0; j < ScratchConfig.Pixels; j++)
            {
                bool block = j / 78 == labels[i];
                pixels[i * ScratchConfig.Pixels + j] = block ? 0.5 + 0.5 * random.NextDouble() : 0.3 * random.NextDouble();
            }
        }
        return (pixels, labels);
    }

    [Fact]
    public void Learns_separable_data_and_is_deterministic()
    {
        var (trainX, trainY) = Separable(200, 1);
        var (testX, testY) = Separable(100, 2);

        var run = MlNetLinearBaseline.Train(trainX, trainY, testX, testY, seed: 1);
        var again = MlNetLinearBaseline.Train(trainX, trainY, testX, testY, seed: 1);

        Assert.Equal("ML.NET linear (LbfgsMaximumEntropy)", run.Model);
        var epoch = Assert.Single(run.Epochs);
        Assert.Equal(0, epoch.Epoch);
        Assert.True(epoch.TestAcc > 0.9, $"test accuracy {epoch.TestAcc}");
        Assert.True(epoch.TrainAcc > 0.9, $"train accuracy {epoch.TrainAcc}");
        Assert.Equal(testY, run.TestLabels);
        Assert.Equal(100, run.TestPredictions.Length);
        Assert.Equal(1000, run.TestProbabilities.Length);
        Assert.Equal(epoch.TestAcc, run.TestPredictions.Where((p, i) => p == testY[i]).Count() / 100.0, 12);
        Assert.Equal(run.TestProbabilities, again.TestProbabilities);
    }

    [Fact]
    public void Rejects_unscaled_pixels()
    {
        var (x, y) = Separable(20, 1);
        x[5] = 255;
        var e = Assert.Throws<ArgumentException>(() => MlNetLinearBaseline.Train(x, y, x, y, 1));
        Assert.Contains("x/255", e.Message);
    }
}
