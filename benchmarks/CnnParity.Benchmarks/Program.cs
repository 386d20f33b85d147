using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CnnParity.Benchmarks;

/// <summary>
/// <code>
/// dotnet run -c Release --project benchmarks/CnnParity.Benchmarks                 # every benchmark, real numbers
/// dotnet run -c Release --project benchmarks/CnnParity.Benchmarks -- --smoke      # each once, in process (CI, &lt; 2 min)
/// dotnet run -c Release --project benchmarks/CnnParity.Benchmarks -- --filter *Batch*   # any BenchmarkDotNet option
/// </code>
/// Every job runs in this process (InProcessEmitToolchain): a generated out-of-process project would lack the
/// libtorch-cpu-linux-x64 reference TorchSharp looks for in the entry assembly's dependencies.
/// Threads: $CNNPARITY_BENCH_THREADS (default: every core) for the from-scratch code; LibTorch runs at one thread and
/// at every core, as separate implementations (torch-f64-1t, torch-f64-2t, ...).
/// </summary>
public static class Program
{
    /// <summary>--smoke: every benchmark once, in process.</summary>
    public static bool Smoke { get; private set; }

    public static int Main(string[] args)
    {
        bool smoke = Smoke = args.Contains("--smoke");
        args = args.Where(a => a != "--smoke").ToArray();
        if (!args.Contains("--filter"))
        {
            args = [.. args, "--filter", "*"]; // run everything rather than ask which
        }
        Console.WriteLine($"// data: {BenchmarkData.Source}; from-scratch threads: {Implementation.Threads}, " +
                          $"LibTorch threads: {string.Join(" and ", CnnParity.Torch.TorchRuntime.SpeedThreadCounts)}");
        IConfig config = DefaultConfig.Instance; // the memory diagnoser: [MemoryDiagnoser] on each class
        if (smoke)
        {
            // One invocation of each benchmark, no warm-up, in this process: proves every benchmark runs, times nothing.
            config = config.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
                           .WithOptions(ConfigOptions.JoinSummary);
        }
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
