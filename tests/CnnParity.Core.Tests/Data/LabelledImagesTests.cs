using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

public sealed class LabelledImagesTests
{
    private static LabelledImages AllPixelValues() =>
        new(rows: 16, cols: 16, pixels: Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), labels: [7]);

    [Fact]
    public void NormalisesAsNumPyDividesByTwoHundredFiftyFive()
    {
        double[] normalised = AllPixelValues().NormalisedPixels();

        for (int p = 0; p < 256; p++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(p / 255.0), BitConverter.DoubleToInt64Bits(normalised[p]));
        Assert.Equal(1.0, normalised[255]);
    }

    [Fact]
    public void MultiplyingByTheReciprocalWouldNotMatch()
    {
        // Why the division matters: 33 * (1/255) and 33 / 255 differ in the last bit.
        Assert.NotEqual(33 * (1.0 / 255), AllPixelValues().NormalisedPixels()[33]);
    }

    [Fact]
    public void OneHotHasASingleOnePerRow()
    {
        var split = new LabelledImages(1, 1, [0, 0, 0], [3, 0, 9]);

        double[] hot = split.OneHotLabels();

        Assert.Equal(30, hot.Length);
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], hot);
    }

    [Fact]
    public void TakeKeepsTheFirstImagesAndLabels()
    {
        var split = new LabelledImages(1, 2, [1, 2, 3, 4, 5, 6], [4, 5, 6]);

        var first = split.Take(2);

        Assert.Equal([1, 2, 3, 4], first.Pixels);
        Assert.Equal([4, 5], first.Labels);
        Assert.Equal([3, 4], first.Image(1).ToArray());
        Assert.Throws<CnnParityException>(() => split.Take(4));
    }

    [Fact]
    public void CountsClasses() =>
        Assert.Equal([1, 0, 2, 0, 0, 0, 0, 0, 0, 1], LabelledImages.CountClasses([2, 0, 9, 2]));
}
