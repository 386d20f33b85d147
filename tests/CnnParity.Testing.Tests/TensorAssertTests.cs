using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>
/// The failure messages, whole. The PyTorch lines of each expected message are what PyTorch 1.13's
/// torch.testing.assert_close printed for the same tensors (PyTorchMessageTests checks that live); the lines after
/// them are this library's additions.
/// </summary>
public class TensorAssertTests
{
    const string Float32Default = "Tolerance: torch.testing.assert_close defaults for float32 (rtol 1.3e-06, atol 1e-05). " +
                                  "If the difference is expected, pass rtol and atol (or a named Tolerance) and say why.";

    static string Fails(Action check) => Assert.Throws<TensorMismatchException>(check).Message;

    [Fact]
    public void Float32MismatchNamesCountPercentWorstElementAndUlp()
    {
        var message = Fails(() => TensorAssert.Close(tensor(new[] { 1f, 2f, 3f }), tensor(new[] { 1f, 2f, 3.001f })));
        Assert.Equal(
            "Tensor-likes are not close!\n\n" +
            "Mismatched elements: 1 / 3 (33.3%)\n" +
            "Greatest absolute difference: 0.0009999275207519531 at index (2,) (up to 1e-05 allowed)\n" +
            "Greatest relative difference: 0.0003331981155954355 at index (2,) (up to 1.3e-06 allowed)\n" +
            "Greatest ULP distance: 4194 at index (2,) (in float32)\n" +
            "At index (2,): actual 3.0, expected 3.000999927520752\n" +
            Float32Default, message);
    }

    [Fact]
    public void Float64MismatchUsesFloat64DefaultsAndTwoDimensionalIndices()
    {
        var actual = tensor(new[] { 1.0, 2.0, 3.0, 0.5 }).reshape(2, 2);
        var expected = tensor(new[] { 1.0, 2.5, 3.0, 0.0 }).reshape(2, 2);
        var message = Fails(() => TensorAssert.Close(actual, expected));
        Assert.Equal(
            "Tensor-likes are not close!\n\n" +
            "Mismatched elements: 2 / 4 (50.0%)\n" +
            "Greatest absolute difference: 0.5 at index (0, 1) (up to 1e-07 allowed)\n" +
            "Greatest relative difference: inf at index (1, 1) (up to 1e-07 allowed)\n" +
            "Greatest ULP distance: 4602678819172646912 at index (1, 1) (in float64)\n" +
            "At index (0, 1): actual 2.0, expected 2.5\n" +
            "Tolerance: torch.testing.assert_close defaults for float64 (rtol 1e-07, atol 1e-07). " +
            "If the difference is expected, pass rtol and atol (or a named Tolerance) and say why.", message);
    }

    [Fact]
    public void ZeroToleranceSaysNotEqualWithoutAllowances()
    {
        var message = Fails(() => TensorAssert.Close(tensor(new[] { 1f, 2f, 3f }), tensor(new[] { 1f, 2f, 4f }), rtol: 0, atol: 0));
        Assert.Equal(
            "Tensor-likes are not equal!\n\n" +
            "Mismatched elements: 1 / 3 (33.3%)\n" +
            "Greatest absolute difference: 1.0 at index (2,)\n" +
            "Greatest relative difference: 0.25 at index (2,)\n" +
            "Greatest ULP distance: 4194304 at index (2,) (in float32)\n" +
            "At index (2,): actual 3.0, expected 4.0\n" +
            "Tolerance: rtol 0.0, atol 0.0, as given.", message);
    }

    [Fact]
    public void ZeroDimensionalTensorsAreScalars()
    {
        var message = Fails(() => TensorAssert.Close(tensor(1f), tensor(2f)));
        Assert.Equal(
            "Scalars are not close!\n\n" +
            "Absolute difference: 1.0 (up to 1e-05 allowed)\n" +
            "Relative difference: 0.5 (up to 1.3e-06 allowed)\n" +
            "ULP distance: 8388608 (in float32)\n" +
            "Values: actual 1.0, expected 2.0\n" +
            Float32Default, message);
    }

    [Fact]
    public void NanIsNeverCloseUnlessEqualNanIsAsked()
    {
        var a = tensor(new[] { 1f, float.NaN, 3f });
        var message = Fails(() => TensorAssert.Close(a, a.clone()));
        Assert.Equal(
            "Tensor-likes are not close!\n\n" +
            "Mismatched elements: 1 / 3 (33.3%)\n" +
            "Greatest absolute difference: nan at index (1,) (up to 1e-05 allowed)\n" +
            "Greatest relative difference: nan at index (1,) (up to 1.3e-06 allowed)\n" +
            "At index (1,): actual nan, expected nan\n" +
            Float32Default, message);
        TensorAssert.Close(a, a.clone(), equalNan: true);
    }

    [Fact]
    public void ShapeIsCheckedBeforeDtype()
    {
        Assert.Equal("The values for attribute 'shape' do not match: torch.Size([2]) != torch.Size([2, 1]).",
            Fails(() => TensorAssert.Close(tensor(new[] { 1f, 2f }), tensor(new[] { 1.0, 2.0 }).reshape(2, 1))));
        Assert.Equal("The values for attribute 'dtype' do not match: torch.float32 != torch.float64.",
            Fails(() => TensorAssert.Close(tensor(new[] { 1f, 2f, 3f }), tensor(new[] { 1.0, 2.0, 3.0 }))));
    }

    [Fact]
    public void NamedToleranceAndNameAppearInTheMessage()
    {
        var tolerance = new Tolerance("forward-f64", 1e-12, 1e-14, "float64 sums in another order");
        var message = Fails(() => TensorAssert.Close(new[] { 1.0, 2.0 }, new[] { 1.0, 2.0 + 1e-9 }, tolerance, name: "logits"));
        Assert.StartsWith("logits: Tensor-likes are not close!\n\nMismatched elements: 1 / 2 (50.0%)\n", message);
        Assert.EndsWith("Tolerance 'forward-f64' (rtol 1e-12, atol 1e-14): float64 sums in another order.", message);
    }

    [Fact]
    public void CloseValuesPassAtTheToleranceBoundary()
    {
        // Just inside |a − b| ≤ atol + rtol·|b|: 3.9e-7 ≤ 1e-7 + 1e-7·3 (float64), 1.3e-5 ≤ 1e-5 + 1.3e-6·3 (float32).
        TensorAssert.Close(tensor(new[] { 1.0, 3.0 }), tensor(new[] { 1.0, 3.0 + 3.9e-7 }));
        Assert.Throws<TensorMismatchException>(() => TensorAssert.Close(tensor(new[] { 1.0, 3.0 }), tensor(new[] { 1.0, 3.0 + 4.1e-7 })));
        TensorAssert.Close(new[] { 3f }, new[] { 3f + 1.3e-5f });
        Assert.Throws<TensorMismatchException>(() => TensorAssert.Close(new[] { 3f }, new[] { 3f + 1.5e-5f }));
        TensorAssert.Close(tensor(new long[] { 1, 2 }), tensor(new long[] { 1, 2 }));
        TensorAssert.Close(empty(0), empty(0));
    }

    [Fact]
    public void IntegersAreComparedExactlyWithoutUlp()
    {
        var message = Fails(() => TensorAssert.Close(tensor(new long[] { 1, 2 }), tensor(new long[] { 1, 3 })));
        Assert.Equal(
            "Tensor-likes are not equal!\n\n" +
            "Mismatched elements: 1 / 2 (50.0%)\n" +
            "Greatest absolute difference: 1 at index (1,)\n" +
            "Greatest relative difference: 0.3333333432674408 at index (1,)\n" +
            "At index (1,): actual 2, expected 3\n" +
            "Tolerance: torch.testing.assert_close compares integers and booleans exactly (rtol 0.0, atol 0.0). " +
            "If the difference is expected, pass rtol and atol (or a named Tolerance) and say why.", message);
    }

    [Fact]
    public void FloatSpansCountUlpsInFloat32AndLengthIsTheShape()
    {
        var message = Fails(() => TensorAssert.Close(new[] { 1f, 1f + 1e-4f }, new[] { 1f, 1f }));
        Assert.Contains("Greatest ULP distance: 839 at index (1,) (in float32)\n", message);
        Assert.Equal("The values for attribute 'shape' do not match: torch.Size([2]) != torch.Size([3]).",
            Fails(() => TensorAssert.Close(new[] { 1.0, 2.0 }, new[] { 1.0, 2.0, 3.0 })));
    }

    [Fact]
    public void RtolWithoutAtolIsRejectedAsInPyTorch()
    {
        var e = Assert.Throws<ArgumentException>(() => TensorAssert.Close(new[] { 1.0 }, new[] { 1.0 }, rtol: 1e-3));
        Assert.Equal("Both 'rtol' and 'atol' must be either specified or omitted, but got no atol.", e.Message);
    }

    [Fact]
    public void TheExceptionCarriesTheDistance()
    {
        var e = Assert.Throws<TensorMismatchException>(() => TensorAssert.Close(new[] { 1.0, 2.0, 3.0 }, new[] { 1.0, 2.5, 3.5 }));
        Assert.Equal(2, e.Distance!.Mismatched);
        Assert.Equal(0.5, e.Distance.MaxAbs);
        Assert.Equal(1, e.Distance.MaxAbsAt!.Index);
    }
}
