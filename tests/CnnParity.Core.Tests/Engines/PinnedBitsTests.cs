using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The engine's results pinned bit for bit, so that a faster kernel is proved to compute the same numbers: the SHA-256
/// of every layer's output, every gradient and every weight after each of three SGD steps with momentum (batches of 9,
/// 64 and 3 images, so whole and partial blocks of every kernel run), then the logits of an evaluation pass, at 1, 2 and
/// 3 threads, for lenet5, lenet5-relu, every-kind, a stride-1 spec whose second convolution pads more than K-1, and
/// chapter 10 (crop, the notebook's masks and Σ/B² loss). The values were recorded from the engine before issue 22's
/// speed work; a change to them must say why in its commit.
/// <para>
/// What the hashes depend on: float64 runs only managed code (NumPy's tanh and SVML exp, ported), so its bits are the
/// same on any x86-64 CPU, AVX2 or AVX-512 (run with <c>DOTNET_EnableAVX512F=0</c> to see). float32's softmax and sigmoid
/// call <see cref="MathF.Exp"/>, i.e. glibc's <c>expf</c> (x86-64, glibc 2.28 or later: one algorithm, rounded once
/// from double). The loss alone takes a log (glibc's, which NumPy does not share either) and feeds nothing: it is held
/// within <see cref="LossTolerance{T}"/> of its recorded value instead of being hashed.
/// </para>
/// </summary>
public class PinnedBitsTests
{
    /// <summary>A stride-1 spec: several input channels, padding 3 > K-1 (the input gradient by patches), overlapping max pooling.</summary>
    internal const string StrideOne =
        "conv(c=4,k=3,p=1) tanh conv(c=5,k=3,p=3,bias=false) relu maxpool(k=3,s=2) conv(c=3,k=2) sigmoid flatten dropout(p=0.3) dense(11,bias=false) relu dense(10)";

    public static TheoryData<string, string, double[]> Float64 => new()
    {
        { "lenet5", "A01A625FCA05A0C446509D8ECE3C70D3853B3455D0260F9FBBFAB87044313ECF", [2.3087944253767723, 2.28792152918383, 2.3479570123236146] },
        { "lenet5-relu", "7AFEEBD9D8A25CFF4531B70FBC99BBBBAE4438EB2D4F65CA9468FDB408C5D5F5", [2.314120154527249, 2.2868759936516305, 2.326406952239036] },
        { "every-kind", "FCB7405846EAEC884D66EF951C4C1F1F15B8EC95F675B1BC682D678A4501CD15", [2.3046289676920684, 2.3252441809915556, 2.26771162240539] },
        { "stride-one", "2AF149AD5B20CAFCB654679B0B5A7B1C3A63285D86D441D3C98A6631DC3F8C86", [2.304514921331847, 2.3288901613362047, 2.8156356074797855] },
        { "ch10", "58EDB9C6BF2E6C82DDDFA7EC2F635015F2748E32D8824040FBA34C74C05CD2F3", [0.2599574235433798, 0.0360285861652951, 0.7764047553025724] },
    };

    public static TheoryData<string, string, double[]> Float32 => new()
    {
        { "lenet5", "A630E56425C1AD4325658B28104B189297655267291EA15A8DE49671701C24E3", [2.3087947368621826, 2.28792142868042, 2.347956895828247] },
        { "lenet5-relu", "A630B4D87F1EA86F00E484F7A265210917960584CD7EE2CE4CF681E7B7AEA51D", [2.314120292663574, 2.2868759632110596, 2.3264071941375732] },
        { "every-kind", "C36351D4BC0FB9AA0101CFBF223CA3FB35E5CA8C07FCCB4C365A70C4CC8FE887", [2.304628849029541, 2.3252439498901367, 2.267711639404297] },
        { "stride-one", "D7FF5C1818785533325E2D2BF579C2D648A1F08F4FA7E8402F2A9A68589510BE", [2.3045148849487305, 2.3288896083831787, 2.8156356811523438] },
        { "ch10", "98C3773C28CB63AB50CA53B29D47A76AE84E4FA89361BA2FFCB2FEAE90AD6618", [0.2599574029445648, 0.03602859005331993, 0.7764046788215637] },
    };

    /// <summary>
    /// How far a recorded loss may move: float64's is <see cref="SpecGoldenTests.LossTolerance"/> (another libm's log
    /// within a few ULP); float32's log(s) is one float32 rounding, 6e-8 relative, so 1e-6 leaves a margin of 16 and still
    /// catches any wrong term (a term is 1/9 of the loss or more).
    /// </summary>
    private static double LossTolerance<T>() => typeof(T) == typeof(double) ? SpecGoldenTests.LossTolerance : 1e-6;

    [Theory]
    [MemberData(nameof(Float64))]
    public void Float64_results_are_the_recorded_bits(string name, string hash, double[] losses) => Check<double>(name, hash, losses);

    [Theory]
    [MemberData(nameof(Float32))]
    public void Float32_results_are_the_recorded_bits(string name, string hash, double[] losses) => Check<float>(name, hash, losses);

    [Fact]
    public void A_changed_bit_changes_the_hash()
    {
        // The hash can fail: the same run with one weight one ULP away gives another fingerprint.
        (string hash, _) = Fingerprint<double>(Spec("lenet5"), 1, nudge: false);
        (string nudged, _) = Fingerprint<double>(Spec("lenet5"), 1, nudge: true);
        Assert.NotEqual(hash, nudged);
    }

    private static void Check<T>(string name, string hash, double[] losses)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int threads in new[] { 1, 2, 3 })
        {
            (string actual, double[] actualLosses) = Fingerprint<T>(Spec(name), threads, nudge: false);
            string recorded = string.Join(", ", actualLosses.Select(l => l.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True(hash == actual, $"{name} {typeof(T).Name} at {threads} threads: {actual}, recorded {hash} (losses {recorded})");
            Assert.Equal(losses.Length, actualLosses.Length);
            for (int i = 0; i < losses.Length; i++)
            {
                Assert.True(Math.Abs(actualLosses[i] - losses[i]) <= LossTolerance<T>() * Math.Abs(losses[i]),
                    $"{name} {typeof(T).Name} at {threads} threads, step {i} loss {actualLosses[i]:R}, recorded {losses[i]:R}");
            }
        }
    }

    private static ArchitectureSpec Spec(string name) => name switch
    {
        "every-kind" => ArchitectureSpec.Parse(SpecNetworkTests.EveryKind),
        "stride-one" => ArchitectureSpec.Parse(StrideOne),
        "ch10" => ArchitectureSpec.Chapter10(numKernels: 16, grid: 25),
        _ => ArchitectureSpec.Parse(name),
    };

    private static (string Hash, double[] Losses) Fingerprint<T>(ArchitectureSpec spec, int threads, bool nudge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ModelOptions model = ModelOptions.Of(spec);
        var random = new NumPyRandomState(5);
        ParameterSet<double> initial = ParameterSet<double>.Initialize(spec, random, model.Initialisation);
        if (nudge)
        {
            double[] first = initial[0];
            first[0] = Math.BitIncrement(first[0]);
        }
        ParameterSet<T> parameters = typeof(T) == typeof(double) ? (ParameterSet<T>)(object)initial : (ParameterSet<T>)(object)initial.ToFloat32();
        var net = new SpecNetwork<T>(spec, parameters, threads, NumPyExpKernel.Svml, model.Loss);
        var sgd = new SgdOptimizer<T>(0.05, 0.9);
        var bytes = new List<byte>();
        var losses = new List<double>();
        int[] batches = [9, 64, 3];
        for (int step = 0; step < batches.Length; step++)
        {
            int batch = batches[step];
            (double[] images, byte[] labels) = SpecNetworkTests.Batch(batch, 30 + (uint)step);
            ForwardPass<T> pass = net.Forward(images.Select(T.CreateTruncating).ToArray(), batch, DropoutMasks.Draw(spec, batch, random, model.Masks));
            foreach (SpecLayer layer in spec.Layers)
            {
                bytes.AddRange(MemoryMarshal.AsBytes(pass.Output(layer.Name).AsSpan()).ToArray());
            }
            losses.Add(double.CreateTruncating(net.Loss(pass, labels)));
            ParameterSet<T> gradients = net.Backward(pass, labels);
            sgd.Step(parameters, gradients);
            foreach (ParameterSpec p in spec.Parameters)
            {
                bytes.AddRange(MemoryMarshal.AsBytes(gradients[p.Name].AsSpan()).ToArray());
                bytes.AddRange(MemoryMarshal.AsBytes(parameters[p.Name].AsSpan()).ToArray());
            }
        }
        (double[] test, _) = SpecNetworkTests.Batch(5, 40);
        bytes.AddRange(MemoryMarshal.AsBytes(net.Forward(test.Select(T.CreateTruncating).ToArray(), 5, null).Logits.AsSpan()).ToArray());
        return (Convert.ToHexString(SHA256.HashData(bytes.ToArray())), [.. losses]);
    }
}
