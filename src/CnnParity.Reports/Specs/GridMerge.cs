using CnnParity.Core;
using CnnParity.Parity.Specs;

namespace CnnParity.Reports.Specs;

/// <summary>
/// Joins the reports of a grid's shards (or of several --arch runs) into one: the same settings and the same grid are
/// required, a shard may appear once, and the results are ordered by index. The merged report stands for the whole
/// grid, so whatever the shards miss (a shard not given included) its verdict names (<see cref="SpecParityReport.Reasons"/>).
/// </summary>
public static class GridMerge
{
    public static SpecParityReport Merge(IReadOnlyList<(string Path, SpecParityReport Report)> parts)
    {
        if (parts.Count == 0) throw new CnnParityException("report merge needs at least one spec parity file");
        var (firstPath, first) = parts[0];
        foreach (var (path, report) in parts.Skip(1))
        {
            // Threads change no result (the engine splits whole outputs, TorchSharp is pinned): shards may differ there.
            if (report.Settings with { Threads = 0 } != first.Settings with { Threads = 0 })
                throw new CnnParityException($"'{path}' was run with other settings than '{firstPath}' ({report.Settings} against {first.Settings})");
            if ((report.Grid is null) != (first.Grid is null))
                throw new CnnParityException($"'{path}' and '{firstPath}' are not both grid runs (one came from --arch)");
            if (report.Grid is { } g && first.Grid is { } f && (g.Count, g.Seed, g.ShardCount) != (f.Count, f.Seed, f.ShardCount))
                throw new CnnParityException($"'{path}' is from another grid ({g.Count} specs, seed {g.Seed}, {g.ShardCount} shards) than '{firstPath}' ({f.Count}, seed {f.Seed}, {f.ShardCount} shards)");
        }
        if (first.Grid is null)
            return new SpecParityReport(first.Settings, null, parts.SelectMany(p => p.Report.Results).ToList());

        var shards = new Dictionary<int, string>();
        foreach (var (path, report) in parts)
            foreach (int shard in report.Grid!.Shards)
                if (!shards.TryAdd(shard, path))
                    throw new CnnParityException($"shard {shard}/{first.Grid.ShardCount} is in both '{shards[shard]}' and '{path}'");
        // The merged report stands for the whole grid: a shard not given is specs missing, and fails the verdict.
        var grid = first.Grid with { Shards = Enumerable.Range(1, first.Grid.ShardCount).ToList() };
        var results = parts.SelectMany(p => p.Report.Results).OrderBy(r => r.Index).ToList();
        return new SpecParityReport(first.Settings, grid, results);
    }
}
