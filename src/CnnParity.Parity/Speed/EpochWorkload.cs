namespace CnnParity.Parity.Speed;

/// <summary>
/// One implementation's unit of work for the speed table: one epoch (the training batches and the test pass)
/// as a callable that returns (train seconds, test seconds). Setup cost (loading, building) is outside it.
/// Disposing the workload frees what it was built on (a TorchSharp twin's native tensors).
/// </summary>
public sealed record EpochWorkload(string Implementation, Func<(double Train, double Test)> RunEpoch, IDisposable? Owned = null) : IDisposable
{
    public void Dispose() => Owned?.Dispose();
}

/// <summary>The measured epochs of one implementation.</summary>
public sealed record EpochTimings(string Implementation, IReadOnlyList<double> Train, IReadOnlyList<double> Test)
{
    public IReadOnlyList<double> Epoch { get; } = Train.Zip(Test, (a, b) => a + b).ToList();

    /// <summary>
    /// This implementation's epoch time over <paramref name="reference"/>'s, round by round: the rounds are
    /// interleaved, so each pair ran under the same machine load and the ratio's spread is narrower than min/max.
    /// </summary>
    public IReadOnlyList<double> RoundRatios(EpochTimings reference) => Epoch.Zip(reference.Epoch, (a, b) => a / b).ToList();
}
