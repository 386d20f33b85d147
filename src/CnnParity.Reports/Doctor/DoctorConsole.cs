using System.Globalization;
using CnnParity.Parity.Doctor;

namespace CnnParity.Reports.Doctor;

/// <summary>What `cnnparity doctor` prints: the groups as a plain table, then the verdict, one line per problem and the setting.</summary>
public static class DoctorConsole
{
    /// <summary>"right", "WRONG", "CRASHED (SIGFPE (8))": one case's result, as the progress lines and the tables say it.</summary>
    public static string Outcome(CaseResult r) => DoctorContent.Outcome(r);

    public static IEnumerable<string> Lines(DoctorReport r)
    {
        var table = DoctorContent.Groups(r.Results);
        var rows = new List<IReadOnlyList<string>> { table.Headers };
        rows.AddRange(table.Rows);
        int[] widths = [.. Enumerable.Range(0, table.Headers.Count).Select(i => rows.Max(row => row[i].Length))];
        foreach (var row in rows)
            yield return string.Join("  ", row.Select((cell, i) => table.RightAligned[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();
        yield return "";
        var m = r.Machine;
        yield return $"machine: {m.Cpu}, {m.LogicalCores} cores; caches: {(m.Caches.Count > 0 ? string.Join(", ", m.Caches) : "none reported")}; " +
                     $"NNPACK {m.Nnpack switch { true => "available", false => "not available", null => "unknown" }}; TorchSharp {m.TorchSharp}, LibTorch {m.LibTorch}";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{r.Verdict}: LibTorch {(r.Passed ? "right in" : "not right in")} {(r.Passed ? r.Results.Count : r.Problems.Count)} of {r.Results.Count} cases ({r.Sweep}, {r.Setting}, {r.Seconds:F0} s)");
        foreach (string problem in r.Problems) yield return $"  {problem}";
        if (r.Recommendation is not null) yield return r.Recommendation;
    }
}
