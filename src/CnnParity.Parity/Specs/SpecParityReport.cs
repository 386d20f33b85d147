namespace CnnParity.Parity.Specs;

/// <summary>Which part of a grid a report covers: <see cref="Count"/> specs drawn from <see cref="Seed"/>, shards <see cref="Shards"/> of <see cref="ShardCount"/>.</summary>
/// <param name="Shards">the 1-based shards this report holds (every one of them for a whole or merged grid)</param>
public sealed record GridSelection(int Count, ulong Seed, IReadOnlyList<int> Shards, int ShardCount)
{
    /// <summary>The indices this report should hold.</summary>
    public IEnumerable<int> ExpectedIndices => Enumerable.Range(0, Count).Where(i => Shards.Contains(i % ShardCount + 1));

    /// <summary>"all" or "2/4" or "1/4, 3/4".</summary>
    public string ShardText => Shards.Count == ShardCount ? "all" : string.Join(", ", Shards.Select(s => $"{s}/{ShardCount}"));
}

/// <summary>
/// What <c>cnnparity parity</c> (any network, ch10 included) or <c>parity --grid</c> writes, and what <c>report merge</c>
/// joins: the settings, the grid part it covers (null for one network), and one result per spec. PASS when every spec
/// passed and, for a grid, no spec it should hold is missing.
/// </summary>
/// <param name="Backend">LibTorch crashed the run (issue 20): no results, and this says how</param>
public sealed record SpecParityReport(SpecParitySettings Settings, GridSelection? Grid, IReadOnlyList<SpecParityResult> Results, Doctor.BackendCrash? Backend = null)
{
    public bool Passed => Reasons.Count == 0;

    public string Verdict => Passed ? "PASS" : "FAIL";

    /// <summary>Why the report fails: missing specs, then each failed spec (one line each).</summary>
    public IReadOnlyList<string> Reasons
    {
        get
        {
            var reasons = new List<string>();
            if (Backend is not null) reasons.Add(Backend.Reason);
            else if (Results.Count == 0) reasons.Add("no spec was checked");
            if (Grid is not null)
            {
                var present = Results.Select(r => r.Index).OfType<int>().ToHashSet();
                var missing = Grid.ExpectedIndices.Where(i => !present.Contains(i)).ToList();
                if (missing.Count > 0)
                    reasons.Add($"{missing.Count} of the grid's specs are missing (indices {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")})");
            }
            foreach (var r in Results.Where(r => !r.Passed))
                reasons.Add($"{(r.Index is int i ? $"spec {i}" : "spec")} '{r.Spec}': {r.Reasons[0]}{(r.Reasons.Count > 1 ? $" (and {r.Reasons.Count - 1} more)" : "")}");
            return reasons;
        }
    }
}
