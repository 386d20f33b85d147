using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CnnParity.Benchmarks;

/// <summary>
/// A benchmark class's job for real numbers, run in this process (see README); none with --smoke, where
/// <see cref="Program"/> adds one dry job for everything.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public abstract class InProcessJobAttribute(Job job) : Attribute, IConfigSource
{
    public IConfig Config => Program.Smoke
        ? ManualConfig.CreateEmpty()
        : ManualConfig.CreateEmpty().AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
}

/// <summary>
/// Millisecond work: BenchmarkDotNet picks the calls per iteration; 3 warm-up and 12 measured iterations (the default
/// job would go on to 100 on a machine shared with other work).
/// </summary>
public sealed class BatchJobAttribute()
    : InProcessJobAttribute(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(12));

/// <summary>Seconds-long work: one launch, 1 warm-up and 5 measured iterations of one call each.</summary>
public sealed class EpochJobAttribute()
    : InProcessJobAttribute(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
