namespace CnnParity.Parity.Speed;

/// <summary>
/// One implementation's unit of work for the speed table: one epoch (the training batches and the test pass)
/// as a callable that returns (train seconds, test seconds). Setup cost (loading, building) is outside it.
/// </summary>
public sealed record EpochWorkload(string Implementation, Func<(double Train, double Test)> RunEpoch);

/// <summary>The measured epochs of one implementation.</summary>
public sealed record EpochTimings(string Implementation, IReadOnlyList<double> Train, IReadOnlyList<double> Test)
{
    public IReadOnlyList<double> Epoch => Train.Zip(Test, (a, b) => a + b).ToList();
}
