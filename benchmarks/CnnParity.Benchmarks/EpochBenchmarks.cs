using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CnnParity.Benchmarks;

/// <summary>
/// A whole training epoch (7 batches of 128, then the 10,000-image test pass) and the test pass alone, for each
/// implementation and kernel count. These take up to seconds each, so the default run uses a few iterations.
/// </summary>
[MemoryDiagnoser]
[EpochJob]
public class EpochBenchmarks : ImplementationBenchmark
{
    [Benchmark]
    public void TrainingEpoch() => Subject.TrainingEpoch();

    [Benchmark]
    public void TestPass() => Subject.TestPass();
}

/// <summary>Seconds-long work: one launch, 1 warm-up and 5 measured iterations of one call each (none with --smoke).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class EpochJobAttribute : Attribute, IConfigSource
{
    public IConfig Config => Program.Smoke
        ? ManualConfig.CreateEmpty()
        : ManualConfig.CreateEmpty().AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
            .WithInvocationCount(1).WithUnrollFactor(1).WithToolchain(InProcessEmitToolchain.Instance));
}
