using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Layers;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// ReLU, a vector of values at a time, against its rule one value at a time, in float64 and float32, on the values
/// where a select and a max differ: NaN (passed on forward, its gradient 0), -0 and +0 (both +0 forward, gradient 0).
/// Equal means equal bits.
/// </summary>
public unsafe class ReLULanesTests
{
    [Fact]
    public void Float64_values_follow_the_rule() => Check<double>();

    [Fact]
    public void Float32_values_follow_the_rule() => Check<float>();

    private static void Check<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = ArchitectureSpec.Parse("conv(c=3,k=3) relu flatten dense(10)");
        SpecLayer layer = spec.Layers[1];
        const int batch = 3;
        var random = new NumPyRandomState(4);
        T[] x = OrderedMatMulTests.Draw<T>(random, batch * layer.Input.Size), dy = OrderedMatMulTests.Draw<T>(random, x.Length);
        T[] special = [T.NaN, -T.NaN, T.NegativeZero, T.Zero, T.Epsilon, -T.Epsilon];
        for (int i = 0; i < x.Length; i += 7)
        {
            x[i] = special[i / 7 % special.Length];
        }
        EngineLayer<T> engine = EngineLayer<T>.Create(layer, NumPyExpKernel.Svml);
        T[] px = PinnedArray.Copy<T>(x), py = PinnedArray.Allocate<T>(x.Length), pdy = PinnedArray.Copy<T>(dy), pdx = PinnedArray.Allocate<T>(x.Length);
        engine.Forward(PinnedArray.Address(px), PinnedArray.Address(py), 0, batch, null);
        engine.BackwardInput(PinnedArray.Address(px), PinnedArray.Address(py), PinnedArray.Address(pdy), PinnedArray.Address(pdx), 0, batch, null);
        for (int i = 0; i < x.Length; i++)
        {
            T y = x[i] > T.Zero || T.IsNaN(x[i]) ? x[i] : T.Zero;
            T dx = y > T.Zero ? dy[i] : T.Zero;
            Assert.True(y.Equals(py[i]) && T.IsNegative(y) == T.IsNegative(py[i]), $"forward [{i}] of {x[i]}: {y}, got {py[i]}");
            Assert.True(dx.Equals(pdx[i]) && T.IsNegative(dx) == T.IsNegative(pdx[i]), $"gradient [{i}] of {x[i]}: {dx}, got {pdx[i]}");
        }
    }
}
