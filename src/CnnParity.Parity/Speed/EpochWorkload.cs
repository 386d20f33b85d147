namespace CnnParity.Parity.Speed;

/// <summary>
/// One implementation's unit of work for the speed table: one epoch (the training batches and the test pass)
/// as a callable that returns (train seconds, test seconds). Setup cost (loading, building) is outside it.
/// Disposing the workload frees what it was built on (a TorchSharp twin's native tensors, an ONNX Runtime session).
/// </summary>
/// <param name="InferenceOnly">runs the test pass only (a deployed model): timed in the same rounds, shown only beside
/// the other test passes, never in the epoch rows</param>
/// <param name="Owned">what the workload was built on and frees when disposed (a twin, an ONNX Runtime session)</param>
public sealed record EpochWorkload(string Implementation, Func<(double Train, double Test)> RunEpoch, bool InferenceOnly = false,
    IDisposable? Owned = null) : IDisposable
{
    public void Dispose() => Owned?.Dispose();
}

/// <summary>The measured epochs of one implementation.</summary>
public sealed record EpochTimings(string Implementation, IReadOnlyList<double> Train, IReadOnlyList<double> Test, bool InferenceOnly = false)
{
    public IReadOnlyList<double> Epoch { get; } = Train.Zip(Test, (a, b) => a + b).ToList();

    /// <summary>
    /// This implementation's epoch time over <paramref name="reference"/>'s, round by round: the rounds are
    /// interleaved, so each pair ran under the same machine load and the ratio's spread is narrower than min/max.
    /// </summary>
    public IReadOnlyList<double> RoundRatios(EpochTimings reference) => Epoch.Zip(reference.Epoch, (a, b) => a / b).ToList();
}
