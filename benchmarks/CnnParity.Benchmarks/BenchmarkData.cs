using CnnParity.Core.Data;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Benchmarks;

/// <summary>
/// The images every benchmark runs on: MNIST found as the command line finds it (--data absent:
/// $CNNPARITY_DATA, ../shared/data/mnist, the user cache), or, when it is not there, synthetic 28x28 digits
/// with MNIST's shape of work (a zero border, strokes over about a fifth of the pixels), so that the suite runs anywhere.
/// </summary>
public static class BenchmarkData
{
    private static readonly Lazy<(ScratchData Data, string Source)> Loaded = new(Load);

    /// <summary>1000 training and 10,000 test images.</summary>
    public static ScratchData Data => Loaded.Value.Data;

    /// <summary>Where the images came from, for the log.</summary>
    public static string Source => Loaded.Value.Source;

    private static (ScratchData, string) Load()
    {
        try
        {
            DataFolder folder = DataLocator.ForCurrentProcess().Resolve(DatasetCatalog.Mnist, null);
            return (ScratchData.Load(folder.Path, 1000, 10000), $"MNIST from {folder.Path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.CnnParityException or InvalidDataException)
        {
            return (Synthetic(1000, 10000), $"synthetic digits (MNIST not found: {e.Message})");
        }
    }

    /// <summary>Digit-like images from a fixed NumPy stream.</summary>
    public static ScratchData Synthetic(int train, int test)
    {
        var random = new NumPyRandomState(2024);
        double[] Images(int n)
        {
            var x = new double[n * ScratchConfig.Pixels];
            for (int i = 0; i < n; i++)
            {
                // A random walk of a thick pen inside the 20x20 centre, as MNIST's digits are drawn.
                int r = 8 + (int)random.RandInt(12), c = 8 + (int)random.RandInt(12);
                for (int step = 0; step < 60; step++)
                {
                    r = Math.Clamp(r + (int)random.RandInt(-1, 2), 5, 22);
                    c = Math.Clamp(c + (int)random.RandInt(-1, 2), 5, 22);
                    for (int d = 0; d < 4; d++)
                    {
                        int at = i * ScratchConfig.Pixels + (r + d / 2) * ScratchConfig.ImageSide + c + d % 2;
                        x[at] = Math.Max(x[at], (128 + random.RandInt(128)) / 255.0);
                    }
                }
            }
            return x;
        }
        byte[] Labels(int n) => Enumerable.Range(0, n).Select(_ => (byte)random.RandInt(10)).ToArray();
        return new ScratchData(Images(train), Labels(train), Images(test), Labels(test));
    }
}
