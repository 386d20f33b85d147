using CnnParity.Core.NumPy;
using CnnParity.Testing.NumPy;

namespace CnnParity.Core.Tests.NumPy;

/// <summary>
/// <see cref="NumPyTanh"/> and <see cref="NumPyExp"/> against this machine's np.tanh / np.exp
/// (reference/make_numeric_goldens.py): the edge list and the head of each drawn set element by element,
/// then all 4 million drawn inputs per function through the SHA-256 of their outputs.
/// </summary>
public class ElementwiseGoldenTests
{
    private const uint Seed = 20240;
    private const int Count = 1_000_000;

    public static TheoryData<string> Functions => ["tanh", "exp"];

    private static Func<double, double> Port(string name) => name == "tanh" ? NumPyTanh.Tanh : NumPyExp.Exp;

    private static Dictionary<string, double[]> Draw(string name) => name == "tanh"
        ? Golden.DrawSets(Seed, Count, 64.0, 4.0, -60, 12)
        : Golden.DrawSets(Seed, Count, 1500.0, 40.0, -60, 10);

    [Theory]
    [MemberData(nameof(Functions))]
    public void Listed_inputs_match_numpy_bit_for_bit(string name)
    {
        var golden = Npz.Load(Golden.PathOf("numeric", $"{name}.npz"));
        Func<double, double> f = Port(name);
        foreach (string set in new[] { "edge", "bits", "wide", "narrow", "log" })
        {
            double[] x = golden[$"{set}_x"].ToDoubleArray();
            Golden.AssertBitwise($"np.{name} {set}", golden[$"{set}_y"].ToDoubleArray(), x.Select(f).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Four_million_drawn_inputs_match_numpy_bit_for_bit(string name)
    {
        var golden = Npz.Load(Golden.PathOf("numeric", $"{name}.npz"));
        Dictionary<string, double[]> sets = Draw(name);
        Func<double, double> f = Port(name);
        foreach ((string set, int count, string sha) in Golden.ReadSets(Golden.PathOf("numeric", $"{name}_sets.txt")))
        {
            double[] x = sets[set];
            Assert.Equal(count, x.Length);
            // The replayed inputs must be NumPy's before their outputs can be compared.
            Golden.AssertBitwise($"{name} {set} inputs", golden[$"{set}_x"].ToDoubleArray(), x.AsSpan(0, 1000));
            double[] y = x.Select(f).ToArray();
            Assert.True(Golden.Sha256(y) == sha, $"np.{name} set '{set}': the SHA-256 of {count} outputs differs from NumPy's");
        }
    }

    [Fact]
    public void Span_overloads_work_in_place()
    {
        double[] x = [-3, -0.5, 0, 0.25, 1, 30];
        double[] expected = x.Select(NumPyTanh.Tanh).ToArray();
        NumPyTanh.Tanh(x, x);
        Golden.AssertBitwise("tanh in place", expected, x);

        double[] e = [-3, -0.5, 0, 0.25, 1, 30];
        double[] expectedExp = e.Select(NumPyExp.Exp).ToArray();
        NumPyExp.Exp(e, e);
        Golden.AssertBitwise("exp in place", expectedExp, e);
    }

    [Fact]
    public void Libm_kernel_is_math_exp_and_differs_from_svml()
    {
        var golden = Npz.Load(Golden.PathOf("numeric", "exp.npz"));
        double[] x = golden["narrow_x"].ToDoubleArray();
        var libm = new double[x.Length];
        NumPyExp.Exp(x, libm, NumPyExpKernel.Libm);
        Assert.Equal(x.Select(Math.Exp), libm);
        Assert.Contains(x, v => NumPyExp.Exp(v) != Math.Exp(v));
    }

    [Fact]
    public void Tanh_differs_from_math_tanh_which_is_why_it_is_ported()
    {
        var golden = Npz.Load(Golden.PathOf("numeric", "tanh.npz"));
        double[] x = golden["narrow_x"].ToDoubleArray();
        double[] numpy = golden["narrow_y"].ToDoubleArray();
        int differ = x.Where((v, i) => Math.Tanh(v) != numpy[i]).Count();
        Assert.True(differ > 50, $"only {differ} of {x.Length} Math.Tanh values differ from np.tanh");
    }
}
