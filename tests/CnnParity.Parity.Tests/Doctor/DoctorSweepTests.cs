using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Doctor;

namespace CnnParity.Parity.Tests.Doctor;

/// <summary>The doctor's cases are data: every id parses back to its case, and issue 20's known-bad shapes are in every sweep.</summary>
public class DoctorSweepTests
{
    public static TheoryData<string> Sweeps => ["quick", "full"];

    static IReadOnlyList<DoctorCase> Sweep(string name) => name == "quick" ? DoctorSweep.Quick() : DoctorSweep.Full();

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void Every_id_parses_back_to_its_case(string sweep)
    {
        foreach (var c in Sweep(sweep))
        {
            c.Validate();
            var parsed = DoctorCase.Parse(c.Id);
            Assert.Equal(c.Id, parsed.Id);
            Assert.Equal(c with { Group = "" }, parsed);
        }
        Assert.Equal(Sweep(sweep).Count, Sweep(sweep).Select(c => c.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void Issue_20s_known_bad_shapes_are_in_every_sweep(string sweep)
    {
        var ids = Sweep(sweep).Select(c => c.Id).ToHashSet();
        Assert.Contains("conv2d f32 forward 128x1x28x28 conv(c=2,k=28)", ids);
        Assert.Contains("conv2d f32 forward 128x1x10x10 conv(c=2,k=10)", ids);
        Assert.Contains("conv2d f32 weight-grad 2x512x8x8 conv(c=1024,k=1,s=2)", ids);
        Assert.Contains("conv2d f32 input-grad 2x1024x4x4 conv(c=2048,k=1,s=2)", ids);
    }

    [Fact]
    public void The_full_sweep_covers_what_issue_20_asks_for()
    {
        var full = DoctorSweep.Full();
        var convs = full.Where(c => c.Layer is Conv2dSpec).ToList();
        var kernels = convs.Select(c => ((Conv2dSpec)c.Layer!).Kernel).ToHashSet();
        Assert.Superset(new HashSet<int> { 1, 2, 3, 5, 7, 28 }, kernels); // 28: a kernel as large as a 28x28 image
        Assert.Equal([1, 2, 3], convs.Select(c => ((Conv2dSpec)c.Layer!).Stride).Distinct().Order());
        Assert.Contains(convs, c => ((Conv2dSpec)c.Layer!).Padding > 0);
        Assert.Contains(convs, c => ((Conv2dSpec)c.Layer!).OutChannels == 2048);
        Assert.Contains(full, c => c.Batch == 1);
        Assert.Contains(full, c => c.Batch == 128);
        Assert.Contains(full, c => c.Input.Height == 1 && !c.Input.IsVector);
        Assert.Contains(full, c => c.Input.Height == 64);
        Assert.Equal(Enum.GetValues<TorchOp>().Order(), full.Select(c => c.Op).Distinct().Order());
        foreach (var dtype in new[] { Dtype.Float32, Dtype.Float64 })
            foreach (var check in Enum.GetValues<DoctorCheck>())
                Assert.Contains(full, c => c.Dtype == dtype && c.Check == check);
    }

    [Fact]
    public void A_specs_cases_are_its_layers_at_its_batches()
    {
        var cases = DoctorSweep.ForSpec(ArchitectureSpec.Parse("conv(c=4,k=3) relu flatten dense(10)"), [250], [32], [Dtype.Float32]);
        var ids = cases.Select(c => c.Id).ToList();
        Assert.Contains("conv2d f32 forward 250x1x28x28 conv(c=4,k=3)", ids);
        Assert.Contains("conv2d f32 weight-grad 32x1x28x28 conv(c=4,k=3)", ids);
        Assert.DoesNotContain("conv2d f32 input-grad 32x1x28x28 conv(c=4,k=3)", ids); // the images need no gradient
        Assert.Contains("relu f32 input-grad 32x4x26x26", ids);
        Assert.Contains("linear f32 weight-grad 32x2704 dense(10)", ids);
        Assert.Contains("cross_entropy f32 input-grad 32x10", ids);
    }

    [Fact]
    public void A_specs_relu6_is_checked_as_relu6()
    {
        var ids = DoctorSweep.ForSpec(ArchitectureSpec.Parse("conv(c=4,k=3) relu6 flatten dense(10)"), [250], [32], [Dtype.Float64])
            .Select(c => c.Id).ToList();
        Assert.Contains("relu6 f64 forward 250x4x26x26", ids);
        Assert.Contains("relu6 f64 input-grad 32x4x26x26", ids);
        Assert.Equal(TorchOp.Relu6, DoctorCase.Parse("relu6 f64 input-grad 32x4x26x26").Op);
        Assert.Equal(4, ((Conv2dSpec)DoctorCase.Parse("conv2d f64 forward 2x4x9x9 conv(c=8,k=3,g=4)").Layer!).Groups);
    }

    [Theory]
    [InlineData("conv2d f32 sideways 2x1x5x5 conv(c=2,k=3)", "unknown check")]
    [InlineData("conv2d f32 forward 2x1x5x5", "conv2d needs its layer")]
    [InlineData("tanh f32 weight-grad 2x10", "tanh has no weights")]
    [InlineData("conv2d f32 forward 2x1x2x2 conv(c=2,k=3)", "kernel 3 is larger than its 2x2 input")]
    [InlineData("softmax f32 forward 2x10", "unknown op 'softmax'")]
    public void A_bad_id_says_what_is_wrong(string id, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => DoctorCase.Parse(id)).Message);
}
