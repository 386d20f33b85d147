using CnnParity.Core;
using CnnParity.Testing;
using CnnParity.Testing.Rendering;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Specs;

/// <summary>
/// The Markdown of a <see cref="SpecParityReport"/>: verdict first, what was checked, one row per spec (its text,
/// PASS/FAIL, the worst forward and gradient distances), the tolerances, then why each failed spec failed.
/// </summary>
public static class SpecParityMarkdown
{
    public static string Render(SpecParityReport report) => MarkdownBlocks.Render(Blocks(report));

    static List<Block> Blocks(SpecParityReport report)
    {
        var s = report.Settings;
        int passed = report.Results.Count(r => r.Passed);
        var blocks = new List<Block>
        {
            new VerdictLine(report.Verdict, report.Grid is null ? "CnnParity spec parity" : "CnnParity grid of random specs"),
            new Paragraph(Scope(report)),
            new Paragraph($"Each spec: np.random.seed({s.Seed}) gives the initial weights and then the dropout masks of the first training batch " +
                $"({s.Batch} images); the from-scratch engine and its TorchSharp twin (same numbers, copied bit for bit) are judged against the float64 truth " +
                $"at every named layer on that batch (with the masks) and on the first {s.TestCount} test images (no dropout), and on the gradients of the loss " +
                $"(the mean cross-entropy; ch10's Σ/B²) per named parameter, in float64 (two of the float64 reference, the engine and the twin agreeing make the truth; " +
                $"central finite differences on {s.FiniteDifferenceSample} entries of each tensor judge the gradients once more) and in float32 (the float64 reference " +
                $"from the float32 inputs, each side within the rounding bound it carries; branch decisions made by rounding are counted, not failed)." +
                (s.LockstepEpochs > 0 ? $" Lockstep: {s.LockstepEpochs} epochs on {s.TrainCount} images, {Rule(s)}{(s.LearningRateDecay != 1 ? $" ×{Show.G(s.LearningRateDecay)} an epoch" : "")}, {s.LockstepDtype.ToString().ToLowerInvariant()}{(s.Shuffle ? ", reshuffled every epoch" : "")}." : "")),
            new Paragraph($"{passed} of {report.Results.Count} specs passed, {report.Results.Count - passed} failed.", "Result:"),
            new Table(["#", "spec", "result", "forward f64 (× tolerance)", "forward f32 (× bound)", "gradients f64 (× tolerance)", "gradients f32 (× bound)", "decided by rounding"],
                report.Results.Select(Row).ToList(), [true, false, false, true, true, true, true, true]),
        };
        var tolerances = SpecParityJson.UsedTolerances(report);
        if (tolerances.Count > 0)
        {
            blocks.Add(new Heading("Tolerances"));
            blocks.Add(ReportContent.ToleranceTable(tolerances));
        }
        if (report.Reasons.Count > 0)
        {
            blocks.Add(new Heading("Why it fails"));
            blocks.Add(new Bullets(report.Reasons.Select(r => new Paragraph(r)).ToList()));
        }
        return blocks;
    }

    static string Scope(SpecParityReport report) => report.Grid is { } g
        ? $"{g.Count} random specs drawn from seed {g.Seed} (shards: {g.ShardText}); {report.Results.Count} checked here, each in float64 and float32. " +
          $"Reproduce one: cnnparity parity --grid {g.Count} --seed {g.Seed} --shard I/{g.ShardCount}, or paste its spec into parity --arch."
        : $"{report.Results.Count} spec{(report.Results.Count == 1 ? "" : "s")} given by --arch.";

    static IReadOnlyList<string> Row(SpecParityResult r) =>
    [
        r.Index?.ToString() ?? Show.None, r.Spec, r.Passed ? Judgement.Pass : Judgement.Fail,
        Worst(r.Forward, Dtype.Float64), Worst(r.Forward, Dtype.Float32), Worst(r.Gradients, Dtype.Float64), Worst(r.Gradients, Dtype.Float32),
        Show.Int(r.DecidedByRounding),
    ];

    // The largest ratio of any side of any check in the dtype, and where: "0.41 (tanh2)".
    static string Worst(IReadOnlyList<TriagedCheck> checks, Dtype dtype)
    {
        var sides = checks.Where(c => c.Dtype == dtype).SelectMany(c => c.Sides.Select(s => (c, s))).ToList();
        if (sides.Count == 0) return Show.None;
        var worst = sides.MaxBy(x => x.s.Ratio);
        return $"{TriagedCheck.Number(worst.s.Ratio)} ({worst.c.Tensor})";
    }

    /// <summary>The lockstep run's optimizer: "SGD lr 0.05 momentum 0.9" as before, or "adam (β1 0.9, β2 0.999, eps 1E-08) lr 0.001".</summary>
    static string Rule(SpecParitySettings s) => s.Optimizer.IsAdam
        ? $"{s.Optimizer} lr {Show.G(s.LearningRate)}"
        : $"SGD lr {Show.G(s.LearningRate)} momentum {Show.G(s.Momentum)}{(s.Optimizer.WeightDecay != 0 ? $" weight decay {Show.G(s.Optimizer.WeightDecay)}" : "")}";
}
