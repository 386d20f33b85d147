using System.Diagnostics;
using CnnParity.Core.NumPy;
using CnnParity.Core.Tests.Data;
using CnnParity.Testing.NumPy;

namespace CnnParity.Core.Tests.NumPy;

/// <summary>
/// The np.exp mirror against the NumPy installed here (Debian's python3-numpy 1.24, run by /usr/bin/python3): the CPU
/// feature NumPy's dispatch reads is the one <see cref="NumPyExpDispatch"/> reads; np.exp is, bit for bit, the kernel the
/// detection picks; and NumPy told to ignore AVX-512 (as on a CPU without it) runs exactly the glibc kernel. Skipped
/// where that NumPy is not installed.
/// </summary>
public sealed class LiveNumPyExpTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    /// <summary>NumPy's own switch for its CPU dispatch: every AVX-512 group off is what a CPU without AVX-512 gets.</summary>
    private const string WithoutAvx512 = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL";

    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    // The mirror is of NumPy 1.24's dispatch (Debian 12's python3-numpy); other versions choose by other rules.
    private static void RequireNumPy124()
    {
        string version = RunPython("import numpy; print(numpy.__version__)").Trim();
        Skip.IfNot(version.StartsWith("1.24.", StringComparison.Ordinal), $"NumPy {version} here, not 1.24");
    }

    [SkippableFact]
    public void The_detection_reads_the_cpu_feature_numpy_dispatches_on()
    {
        RequireNumPy124();
        string skx = RunPython("import numpy.core._multiarray_umath as m; print(m.__cpu_features__['AVX512_SKX'])").Trim();
        Assert.Equal(NumPyExpDispatch.HasAvx512Skx ? "True" : "False", skx);
    }

    [SkippableFact]
    public void Np_exp_here_is_the_detected_kernel_bit_for_bit()
    {
        RequireNumPy124();
        var (x, y) = NumPyExp(disabled: null);
        AssertKernel(NumPyExpDispatch.Detected.Kernel, x, y);
    }

    [SkippableFact]
    public void Np_exp_without_avx512_is_the_glibc_kernel_bit_for_bit()
    {
        RequireNumPy124();
        var (x, y) = NumPyExp(disabled: WithoutAvx512);
        AssertKernel(NumPyExpKernel.Libm, x, y);
        // On this CPU NumPy's default is SVML: then the two runs above are two different kernels, each matched exactly.
        if (NumPyExpDispatch.HasAvx512Skx)
        {
            var svml = new double[x.Length];
            NumPyExpCalls(x, svml, NumPyExpKernel.Svml);
            Assert.Contains(Enumerable.Range(0, x.Length), i => BitConverter.DoubleToInt64Bits(svml[i]) != BitConverter.DoubleToInt64Bits(y[i]));
        }
    }

    private static void AssertKernel(NumPyExpKernel kernel, double[] x, double[] numpy)
    {
        var ours = new double[x.Length];
        NumPyExpCalls(x, ours, kernel);
        Golden.AssertBitwise($"np.exp vs the {NumPyExpDispatch.Name(kernel)} kernel", numpy, ours);
    }

    private static void NumPyExpCalls(double[] x, double[] y, NumPyExpKernel kernel) => CnnParity.Core.NumPy.NumPyExp.Exp(x, y, kernel);

    // 200,000 inputs across exp's whole range (softmax's are mostly small and negative), plus the edges, and np.exp of them.
    private (double[] X, double[] Y) NumPyExp(string? disabled)
    {
        string path = Path.Combine(_work.Path, $"exp-{(disabled is null ? "default" : "no-avx512")}.npz");
        RunPython(
            "import numpy as np, sys\n" +
            "rs = np.random.RandomState(20241)\n" +
            "x = np.concatenate([(rs.random_sample(100000) - 0.5) * 60, (rs.random_sample(100000) - 0.5) * 1500,\n" +
            "                    [0.0, -0.0, 1e-300, -745.2, -745.1, 709.7, 709.8, 707.7, -708.4, np.inf, -np.inf]])\n" +
            "np.savez(sys.argv[1], x=x, y=np.exp(x))\n", disabled, path);
        var arrays = Npz.Load(path);
        return (arrays["x"].ToDoubleArray(), arrays["y"].ToDoubleArray());
    }

    private static string RunPython(string script, string? disabledFeatures = null, params string[] args)
    {
        Skip.IfNot(File.Exists(Python), $"{Python} not found");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("NPY_DISABLE_CPU_FEATURES");
        if (disabledFeatures is not null)
        {
            start.Environment["NPY_DISABLE_CPU_FEATURES"] = disabledFeatures;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string error = stderr.Result;
        Skip.If(error.Contains("No module named 'numpy'", StringComparison.Ordinal), "python3-numpy is not installed");
        Assert.True(process.ExitCode == 0, $"python failed: {error}");
        return stdout;
    }
}
