using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Doctor;

namespace CnnParity.Parity.Tests.Doctor;

/// <summary>
/// The judgement can fail: on small float64 cases LibTorch's values (run here through TorchSharp) are within the
/// bound, and the same values with one element moved to twice its bound from the truth are wrong, that element named.
/// </summary>
public class CaseJudgementTests
{
    [Theory]
    [InlineData(1.0, 1.0, 0.0, 0.0)]
    [InlineData(1.5, 1.0, 1.0, 0.5)]
    [InlineData(1.5, 1.0, 0.0, double.PositiveInfinity)]
    [InlineData(double.NaN, 1.0, 1.0, double.PositiveInfinity)]
    public void The_ratio_is_the_distance_over_the_bound(double torch, double truth, double bound, double ratio) =>
        Assert.Equal(ratio, CaseJudgement.Ratio(torch, truth, bound));

    public static TheoryData<string> SmallCases =>
    [
        "conv2d f64 forward 2x3x9x9 conv(c=4,k=3,s=2,p=1)", "conv2d f64 input-grad 2x3x9x9 conv(c=4,k=3,s=2,p=1)",
        "conv2d f64 weight-grad 2x3x9x9 conv(c=4,k=3,s=2,p=1)", "avg_pool2d f64 input-grad 2x3x9x9 avgpool(k=3,s=2)",
        "linear f64 weight-grad 4x20 dense(5)", "tanh f64 input-grad 2x10", "log_softmax f64 input-grad 3x10", "cross_entropy f64 forward 3x10",
        "conv2d f32 forward 2x3x9x9 conv(c=4,k=3,s=2,p=1)", "conv2d f32 weight-grad 2x3x9x9 conv(c=4,k=3,s=2,p=1)", "sigmoid f32 input-grad 2x10",
        "log_softmax f32 forward 3x10", "cross_entropy f32 input-grad 3x10", "max_pool2d f32 input-grad 2x3x9x9 maxpool(k=3,s=2)",
        "relu6 f32 forward 2x10", "relu6 f64 input-grad 2x3x9x9",
        "conv2d f64 weight-grad 2x4x9x9 conv(c=6,k=3,p=1,g=2)", "conv2d f32 input-grad 2x4x9x9 conv(c=4,k=3,s=2,g=4)",
        "conv2d f32 forward 2x4x9x9 conv(c=8,k=3,g=4,bias=false)",
    ];

    [Theory]
    [MemberData(nameof(SmallCases))]
    public void LibTorch_is_within_the_bound_and_one_bound_more_is_wrong(string id)
    {
        var c = DoctorCase.Parse(id);
        var inputs = CaseInputs.For(c);
        var truth = CaseTruth.Compute(c, inputs, threads: 2);
        var torch = TorchSide.Run(c, inputs);

        var right = CaseJudgement.Judge(c, torch, truth, 0);
        Assert.True(right.Outcome == CaseOutcome.Right, $"{id}: {right.Worst}");
        Assert.True(right.Elements > 0);

        // Moved by twice its bound, one element makes the case wrong and is named.
        var (name, values) = torch[0];
        double[] moved = [.. values];
        int index = moved.Length / 2;
        moved[index] = truth[0].Truth[index] + 2 * truth[0].Bounds[index];
        var wrong = CaseJudgement.Judge(c, [(name, moved), .. torch.Skip(1)], truth, 0);
        Assert.Equal(CaseOutcome.Wrong, wrong.Outcome);
        Assert.Equal((name, (long)index), (wrong.Worst!.Tensor, wrong.Worst.Index));
    }

    [Fact]
    public void The_same_numbers_go_to_both_dtypes_and_every_check()
    {
        var f32 = CaseInputs.For(DoctorCase.Parse("conv2d f32 forward 2x3x9x9 conv(c=4,k=3)"));
        var f64 = CaseInputs.For(DoctorCase.Parse("conv2d f64 weight-grad 2x3x9x9 conv(c=4,k=3)"));
        Assert.Equal(f32.Input, f64.Input);
        Assert.Equal(f32.Parameters, f64.Parameters);
        Assert.All(f32.Parameters[0], w => Assert.InRange(Math.Abs(w), 0, 1 / Math.Sqrt(27)));
        Assert.Equal(Dtype.Float32, DoctorCase.Parse("conv2d f32 forward 2x3x9x9 conv(c=4,k=3)").Dtype);
        Assert.Equal(ActivationShape.Image(4, 7, 7), DoctorCase.Parse("conv2d f32 forward 2x3x9x9 conv(c=4,k=3)").Output);
    }
}
