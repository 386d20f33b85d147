namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// Each layer kind's backward pass against central finite differences (float64), on the objective Σ r·y of its
/// output with random r: the input gradient and every parameter gradient, at a spread sample of elements. The layers
/// sit in small specs so that they read images of several channels and feed what they must.
/// </summary>
public class LayerGradientTests
{
    public static TheoryData<string, int> Layers => new()
    {
        { "conv(c=2,k=3) conv(c=3,k=3,s=2,p=1) flatten dense(10)", 1 },
        { "conv(c=2,k=3) conv(c=3,k=4,s=3,p=2,bias=false) flatten dense(10)", 1 },
        { "conv(c=2,k=1) conv(c=2,k=2,p=3) flatten dense(10)", 1 },
        { "conv(c=3,k=5,p=2) flatten dense(10)", 0 },
        { "conv(c=2,k=3) maxpool(k=2) flatten dense(10)", 1 },
        { "conv(c=2,k=3) maxpool(k=3,s=2) flatten dense(10)", 1 },
        { "conv(c=2,k=3) avgpool(k=2) flatten dense(10)", 1 },
        { "conv(c=2,k=3) avgpool(k=3,s=2) flatten dense(10)", 1 },
        { "conv(c=2,k=3) tanh flatten dense(10)", 1 },
        { "conv(c=2,k=3) relu flatten dense(10)", 1 },
        { "conv(c=2,k=3) relu6 flatten dense(10)", 1 },
        { "conv(c=3,k=3,s=2) gap flatten dense(10)", 1 },
        { "conv(c=4,k=3) conv(c=6,k=3,s=2,p=1,g=2) flatten dense(10)", 1 },
        { "conv(c=4,k=3) conv(c=4,k=3,p=2,g=4,bias=false) flatten dense(10)", 1 },
        { "conv(c=4,k=3) conv(c=8,k=2,s=3,p=1,g=4) flatten dense(10)", 1 },
        { "conv(c=2,k=3) sigmoid flatten dense(10)", 1 },
        { "conv(c=2,k=3) dropout(p=0.3) flatten dense(10)", 1 },
        { "conv(c=2,k=3) flatten dense(10)", 1 },
        { "conv(c=2,k=3,s=3) flatten dense(7) dense(10)", 3 },
        { "conv(c=2,k=3,s=3) flatten dense(7,bias=false) dense(10)", 2 },
        { "maxpool(k=4) flatten dense(10)", 2 },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Backward_matches_central_differences(string spec, int layer)
    {
        var h = new LayerHarness(spec, layer, batch: 3);
        (double[] dInput, var dParameters) = h.Backward();
        double[] input = (double[])h.Input.Clone();
        FiniteDifference.Check($"{h.Layer.Name} input", input, dInput, () => h.Objective(input, h.Parameters));
        foreach (string name in h.ParameterNames)
        {
            double[] values = h.Parameters[name];
            FiniteDifference.Check(name, values, dParameters[name], () => h.Objective(h.Input, h.Parameters));
        }
    }

    [Fact]
    public void A_wrong_gradient_is_caught()
    {
        var h = new LayerHarness("conv(c=2,k=3) conv(c=3,k=3,s=2,p=1) flatten dense(10)", 1, batch: 2);
        (double[] dInput, _) = h.Backward();
        dInput[dInput.Length / 2] *= 1.001;
        double[] input = (double[])h.Input.Clone();
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            FiniteDifference.Check("input", input, dInput, () => h.Objective(input, h.Parameters), samples: dInput.Length));
    }
}
