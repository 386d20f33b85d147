using BenchmarkDotNet.Attributes;

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
