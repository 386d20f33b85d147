using CnnParity.Core;
using CnnParity.Parity.Triage;
using CnnParity.Reports.Model;

namespace CnnParity.Reports;

/// <summary>
/// The report's first answer: which implementation is wrong, if any. Every failed check names its side; this gathers
/// them by side, and when none failed says how close to its bound the closest call came and how many branch decisions
/// rounding made.
/// </summary>
public static class WhoIsWrong
{
    public static string Summary(ParityReport r)
    {
        var checks = r.Forward.Concat(r.Gradients).Concat(r.Deployed?.Model.Checks ?? []).ToList();
        var blamed = checks.Where(c => !c.Pass).SelectMany(c => c.Blamed.Select(s => (Side: s.Side, Check: c)))
            .GroupBy(x => x.Side).ToList();
        if (blamed.Count > 0)
            return string.Join("; ", blamed.Select(g =>
                $"{g.Key}, in {g.Count()} check{(g.Count() == 1 ? "" : "s")} (first: {g.First().Check.Tensor} {g.First().Check.Dtype.ShortName()}, {g.First().Check.Scope})")) + ".";
        var float32 = checks.Where(c => c.Dtype == Dtype.Float32).SelectMany(c => c.Sides.Select(s => (c, s))).ToList();
        long decided = checks.Sum(c => c.DecidedByRounding);
        string closest = float32.Count == 0 ? ""
            : $" In float32 the closest call is {TriagedCheck.Number(float32.Max(x => x.s.Ratio))}× the rounding bound " +
              $"({float32.MaxBy(x => x.s.Ratio).s.Side}, {float32.MaxBy(x => x.s.Ratio).c.Tensor}).";
        return $"nobody: every implementation is within its bound of the float64 truth.{closest}" +
               (decided > 0 ? $" {decided:N0} branch decisions (ReLU signs, max-pool picks) were made by rounding, and counted." : "");
    }
}
