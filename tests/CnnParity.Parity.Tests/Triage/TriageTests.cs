using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Tests.Triage;

/// <summary>
/// The triage on real engines: correct float32 and float64 implementations pass; a 0.1% fault planted in any single
/// layer or gradient, on either side, fails that check and blames that side, in float32 as in float64.
/// </summary>
public class TriageTests
{
    internal const string ReadmeSpec = "conv(c=4,k=2,s=2) relu conv(c=8,k=3,p=1) tanh maxpool(k=3,s=2) flatten dense(32) tanh dense(10)";
    internal const string DropoutSpec = "conv(c=3,k=3,s=2,p=3) tanh dropout(p=0.3) conv(c=4,k=3) relu conv(c=2,k=2,s=2) sigmoid flatten dense(10)";
    internal const string WholeInputSpec = "conv(c=2,k=28) flatten dense(10)";
    /// <summary>A pool over a large window: one rounded gradient share reaches 169 elements, and conv2.bias sums them in step.</summary>
    internal const string WideAvgPoolSpec = "conv(c=8,k=3,s=2) relu conv(c=16,k=1) relu avgpool(k=13) flatten dense(10)";
    internal const string ReLU6Spec = "conv(c=4,k=3,s=2) relu6 maxpool(k=2) flatten dense(24) relu6 dense(10)";
    internal const string GapSpec = "conv(c=4,k=3,s=2) tanh conv(c=8,k=3) relu gap flatten dense(10)";
    internal const string BatchNormSpec = "conv(c=4,k=3,s=2) batchnorm relu conv(c=8,k=3) batchnorm(momentum=0.3) maxpool(k=2) flatten dense(24) batchnorm tanh dense(10)";
    internal const string GroupedSpec = "conv(c=4,k=3,s=2) tanh conv(c=8,k=3,g=2) relu conv(c=8,k=3,p=1,g=8,bias=false) maxpool(k=2) flatten dense(10)";

    /// <summary>The book's chapter-10 configuration: 16 kernels on the 25×25 grid (ch10 alone is the seed notebook's 4 on 26×26).</summary>
    internal const string Book = "ch10 --kernels 16 --grid 25";

    internal static ArchitectureSpec Spec(string text) => text == Book ? ArchitectureSpec.Chapter10(16, 25) : ArchitectureSpec.Parse(text);

    internal static SpecParitySetup Setup(string text, int batch = 16, int testCount = 100) =>
        SpecParitySetup.FromSeed(Spec(text), RealData.Load(testCount), new SpecParitySettings(1, batch, testCount, 4, 2));

    static List<TriagedCheck> Checks(SpecParitySetup setup, Dtype dtype, TriageSides? sides = null) =>
        [.. SpecForwardParity.Run(setup, dtype, sides: sides), .. SpecGradientParity.Run(setup, dtype, sides: sides)];

    [SkippableTheory]
    [InlineData("lenet5")]
    [InlineData("lenet5-relu")]
    [InlineData(ReadmeSpec)]
    [InlineData(DropoutSpec)]
    [InlineData(WholeInputSpec)]
    [InlineData(ReLU6Spec)]
    [InlineData(GapSpec)]
    [InlineData(GroupedSpec)]
    [InlineData(BatchNormSpec)]
    [InlineData("ch10")]
    [InlineData(Book)]
    public void Correct_implementations_pass_in_both_dtypes(string text)
    {
        var setup = Setup(text, batch: 32, testCount: 300);
        foreach (var dtype in new[] { Dtype.Float64, Dtype.Float32 })
        {
            var checks = Checks(setup, dtype);
            // Every layer on the first batch and the test set, the loss, every gradient (in float64 against finite differences too).
            int gradients = (dtype == Dtype.Float64 ? 2 : 1) * setup.Spec.Parameters.Count;
            Assert.Equal(2 * setup.Spec.Layers.Count + 1 + gradients, checks.Count);
            Assert.All(checks, c => Assert.True(c.Pass, c.FailLine()));
            Assert.All(checks, c => Assert.Equal(2, c.Sides.Count));
            Assert.All(checks, c => Assert.All(c.Sides, s => Assert.True(s.Count > 0)));
        }
    }

    public static TheoryData<string, string, bool> Layers()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var preset in new[] { "lenet5", "lenet5-relu", "ch10", Book })
            foreach (var layer in Spec(preset).Layers.Where(l => l.Spec is not FlattenSpec))
            {
                data.Add(preset, layer.Name, true);
                data.Add(preset, layer.Name, false);
            }
        // Batch norm's bound counts its per-channel errors coherently: it must still see a fault of one part in a thousand.
        foreach (var layer in new[] { "batchnorm1", "relu1", "batchnorm3" })
        {
            data.Add(BatchNormSpec, layer, true);
            data.Add(BatchNormSpec, layer, false);
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Layers))]
    public void A_fault_of_one_part_in_a_thousand_in_any_layer_fails_there_and_blames_its_side(string preset, string layer, bool inEngine)
    {
        var setup = Setup(preset, batch: 8, testCount: 16);
        var sides = Planted(setup, layer, inEngine);
        foreach (var dtype in new[] { Dtype.Float64, Dtype.Float32 })
        {
            var failed = SpecForwardParity.Run(setup, dtype, sides: sides).Where(c => !c.Pass).ToList();
            Assert.NotEmpty(failed);
            Assert.All(failed, c => Assert.Equal(layer, c.Tensor));
            Assert.All(failed, c => Assert.Equal([inEngine ? Sides.Engine : Sides.Twin], c.Blamed.Select(s => s.Side)));
            Assert.StartsWith($"{(inEngine ? Sides.Engine : Sides.Twin)} {layer} ({dtype.ShortName()}, first batch): ", failed[0].FailLine());
            Assert.Contains("from the float64 truth at (", failed[0].FailLine());
        }
    }

    [SkippableTheory]
    [InlineData("lenet5", "conv1.weight", true)]
    [InlineData("lenet5", "dense3.bias", false)]
    [InlineData("lenet5-relu", "conv2.weight", false)]
    [InlineData("lenet5-relu", "dense1.weight", true)]
    [InlineData("ch10", "conv1.weight", false)]
    [InlineData(Book, "dense1.weight", true)]
    [InlineData(BatchNormSpec, "conv2.weight", true)]
    [InlineData(BatchNormSpec, "batchnorm2.weight", false)]
    [InlineData(BatchNormSpec, "conv1.weight", false)]
    public void A_fault_of_one_part_in_a_thousand_in_a_gradient_blames_its_side(string preset, string parameter, bool inEngine)
    {
        var setup = Setup(preset, batch: 8, testCount: 16);
        foreach (var dtype in new[] { Dtype.Float64, Dtype.Float32 })
        {
            var failed = SpecGradientParity.Run(setup, dtype, sides: Planted(setup, parameter, inEngine)).Where(c => !c.Pass).ToList();
            // The float64 opinions see it (and finite differences too, where the gradient is larger than their atol); so does the float32 truth.
            Assert.Equal("first batch", failed[0].Scope);
            Assert.All(failed, c => Assert.Equal(parameter, c.Tensor));
            Assert.All(failed, c => Assert.Equal([inEngine ? Sides.Engine : Sides.Twin], c.Blamed.Select(s => s.Side)));
            Assert.Contains(dtype == Dtype.Float32 ? "× its rounding bound" : "× its tolerance", failed[0].FailLine());
        }
    }

    [SkippableFact]
    public void A_side_that_gives_NaN_is_blamed()
    {
        var setup = Setup("lenet5", batch: 8, testCount: 16);
        var sides = new TriageSides(d => setup.Scratch(d), d => new PlantedFault(setup.Twin(d), "tanh2", double.NaN));
        var failed = SpecForwardParity.Run(setup, Dtype.Float32, sides: sides).First(c => !c.Pass);
        Assert.Equal("tanh2", failed.Tensor);
        Assert.Contains("not a finite number", failed.FailLine());
        Assert.Equal(Sides.Twin, failed.Blamed.Single().Side);
    }

    static TriageSides Planted(SpecParitySetup setup, string at, bool inEngine) => inEngine
        ? new TriageSides(d => new PlantedFault(setup.Scratch(d), at, 1.001), d => setup.Twin(d))
        : new TriageSides(d => setup.Scratch(d), d => new PlantedFault(setup.Twin(d), at, 1.001));
}
