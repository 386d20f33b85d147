using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CnnParity.Benchmarks;

/// <summary>
/// One training batch of 128: the forward pass and the backward pass, for each implementation and kernel count.
/// The from-scratch backward is the book rule (deltas, weight and kernel updates); TorchSharp's is autograd's
/// backward of a retained graph (its optimizer step, a few element-wise ops, is left out).
/// </summary>
[MemoryDiagnoser]
[BatchJob]
public class BatchBenchmarks : ImplementationBenchmark
{
    [Benchmark]
    public void ForwardBatch() => Subject.ForwardBatch();

    [Benchmark]
    public void BackwardBatch() => Subject.BackwardBatch();
}

/// <summary>
/// Millisecond work: BenchmarkDotNet picks the calls per iteration; 3 warm-up and 12 measured iterations (the default
/// job would go on to 100 on a machine shared with other work). None with --smoke.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BatchJobAttribute : Attribute, IConfigSource
{
    public IConfig Config => Program.Smoke
        ? ManualConfig.CreateEmpty()
        : ManualConfig.CreateEmpty().AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(12).WithToolchain(InProcessEmitToolchain.Instance));
}
