using CnnParity.Onnx.Scoring;

namespace CnnParity.Onnx.Tests;

public class MlNetScoringTests
{
    /// <summary>ML.NET's ApplyOnnxModel runs the same ONNX Runtime one row at a time: the same bits as a batched direct run.</summary>
    [Theory]
    [InlineData("lenet5")]
    [InlineData("ch10")]
    public void ApplyOnnxModelGivesOnnxRuntimesBits(string text)
    {
        var model = new Model(text);
        const int count = 25;
        var images = TestNetworks.Images(model.Spec, count, 9);
        var direct = model.Score(images, count);
        var mlnet = MlNetOnnxScoring.Score(model.Bytes, model.Spec, images, count);
        Assert.Equal(direct.Logits, mlnet.Logits);
        Assert.Equal(direct.Probabilities, mlnet.Probabilities);
    }
}
