using System.Diagnostics;
using System.Globalization;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;

namespace CnnParity.Torch.Tests.Twin;

/// <summary>
/// The engine's Adam and AdamW against PyTorch's own torch.optim (Debian's PyTorch 1.13 on /usr/bin/python3, the version
/// whose <c>_single_tensor_adam</c> the engine follows), independently of TorchSharp: PyTorch draws the weights and five
/// gradients (|g| ≥ 1e-3, where the step is well-conditioned), steps, and prints every number with repr (which reads
/// back exactly); the engine steps from the same numbers. What is left is rounding (ATen's vectorised kernels fuse some
/// multiply-adds, the engine none): within 1e-14 of the weights' scale, as against TorchSharp.
/// </summary>
public class PyTorchAdamTests
{
    const string Python = "/usr/bin/python3";

    static readonly ArchitectureSpec Spec = ArchitectureSpec.Parse("conv(c=1,k=28,bias=false) flatten dense(10,bias=false)");

    [SkippableTheory]
    [InlineData("Adam", 0.0)]
    [InlineData("Adam", 0.01)]
    [InlineData("AdamW", 0.05)]
    public void Float64StepsArePyTorchs(string optimizer, double weightDecay)
    {
        int n = Spec.Parameters.Sum(p => p.Size);
        string wd = weightDecay.ToString("R", CultureInfo.InvariantCulture);
        string program = string.Create(CultureInfo.InvariantCulture, $"""
            import torch
            g = torch.Generator().manual_seed(3)
            p = torch.nn.Parameter(torch.rand({n}, generator=g, dtype=torch.float64) - 0.5)
            print(' '.join(repr(v) for v in p.detach().tolist()))
            opt = torch.optim.{optimizer}([p], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay={wd})
            for step in range(5):
                sign = torch.randint(0, 2, ({n},), generator=g, dtype=torch.float64) * 2 - 1
                p.grad = sign * (1e-3 + 0.1 * torch.rand({n}, generator=g, dtype=torch.float64))
                print(' '.join(repr(v) for v in p.grad.tolist()))
                opt.step()
            print(' '.join(repr(v) for v in p.detach().tolist()))
            """);
        string[] lines = RunPython(program).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);

        var kind = optimizer == "AdamW" ? OptimizerKind.AdamW : OptimizerKind.Adam;
        var engine = Set(lines[0]);
        var adam = new AdamOptimizer<double>(1e-3, new OptimizerSettings(kind, weightDecay));
        for (int step = 1; step <= 5; step++) adam.Step(engine, Set(lines[step]));
        var expected = Set(lines[6]);

        foreach (var p in Spec.Parameters)
        {
            double scale = expected[p.Name].Max(Math.Abs);
            double diff = expected[p.Name].Zip(engine[p.Name]).Max(x => Math.Abs(x.First - x.Second));
            Assert.True(diff <= 1e-14 * scale, $"{optimizer} wd {weightDecay}: {p.Name} differs from PyTorch by {diff:G3} (scale {scale:G3})");
        }
    }

    // The numbers of one line, split into the spec's parameters in order.
    static ParameterSet<double> Set(string line)
    {
        double[] all = [.. line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        var set = ParameterSet<double>.Zeros(Spec);
        int offset = 0;
        foreach (var p in Spec.Parameters)
        {
            all.AsSpan(offset, p.Size).CopyTo(set[p.Name]);
            offset += p.Size;
        }
        return set;
    }

    static string RunPython(string program)
    {
        Skip.If(!File.Exists(Python), $"{Python} not found");
        var start = new ProcessStartInfo(Python, "-") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(program);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Skip.If(process.ExitCode != 0 && error.Result.Contains("No module named 'torch'"), $"{Python} has no torch");
        Assert.True(process.ExitCode == 0, $"python exited {process.ExitCode}: {error.Result}");
        return output;
    }
}
