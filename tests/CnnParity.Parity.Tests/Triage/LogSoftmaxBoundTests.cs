using CnnParity.Core;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;
using static TorchSharp.torch;

namespace CnnParity.Parity.Tests.Triage;

/// <summary>
/// log_softmax where one class is far ahead: log Σ exp is then near 0, yet a right implementation is still a few u off,
/// because the sum's own relative rounding becomes an absolute error through the log. The full doctor found LibTorch's
/// float64 log_softmax 1.38 bounds off before the bound counted that; here LibTorch in float32 and float64 must be within.
/// </summary>
public class LogSoftmaxBoundTests
{
    [SkippableTheory]
    [InlineData(Dtype.Float32)]
    [InlineData(Dtype.Float64)]
    public void A_right_log_softmax_with_one_class_far_ahead_is_within_its_bound(Dtype dtype)
    {
        const int batch = 512, classes = 10;
        var logits = new double[batch * classes];
        var random = new Random(7);
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < classes; j++)
                // class b % 10 leads by 4 to 14: log Σ exp(z − max) between 1e-5 and 0.17
                logits[b * classes + j] = (float)(random.NextDouble() * 0.5 + (j == b % classes ? 4 + 10 * random.NextDouble() : 0));

        var truth = ReferenceLoss.LogSoftmax(Carried.Exact(logits), batch, classes);
        using var input = tensor(logits, [batch, classes], dtype == Dtype.Float32 ? ScalarType.Float32 : ScalarType.Float64);
        using var output = nn.functional.log_softmax(input, 1).to(ScalarType.Float64);
        var torch = output.data<double>().ToArray();

        double worst = 0;
        for (int i = 0; i < torch.Length; i++)
            worst = Math.Max(worst, Math.Abs(torch[i] - truth.Value[i]) / RoundingBound.Of(truth, i, dtype));
        Assert.True(worst <= 1, $"LibTorch's {dtype.ShortName()} log_softmax is {worst:G3}× its rounding bound from the float64 truth");
        // The bound still means something: one part in a thousand of a log-softmax value is far outside it.
        int far = Array.FindIndex(truth.Value, v => Math.Abs(v) > 0.01);
        Assert.True(Math.Abs(truth.Value[far]) * 1e-3 > 10 * RoundingBound.Of(truth, far, dtype));
    }
}
