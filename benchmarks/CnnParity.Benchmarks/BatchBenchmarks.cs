using BenchmarkDotNet.Attributes;

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
