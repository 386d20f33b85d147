using CnnParity.Core;
using CnnParity.Testing;
using CnnParity.Testing.Rendering;
using CnnParity.Parity.Specs;
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
                $"({s.Batch} images); the from-scratch engine and its TorchSharp twin (same numbers, copied bit for bit) are compared at every named layer " +
                $"on that batch (with the masks) and on the first {s.TestCount} test images (no dropout), and the gradients of the loss (the mean cross-entropy; ch10's Σ/B²) " +
                $"are compared per named parameter: manual against autograd, and both against central finite differences on {s.FiniteDifferenceSample} entries of each tensor." +
                (s.LockstepEpochs > 0 ? $" Lockstep: {s.LockstepEpochs} epochs on {s.TrainCount} images, SGD lr {Show.G(s.LearningRate)} momentum {Show.G(s.Momentum)}{(s.LearningRateDecay != 1 ? $" ×{Show.G(s.LearningRateDecay)} an epoch" : "")}, {s.LockstepDtype.ToString().ToLowerInvariant()}{(s.Shuffle ? ", reshuffled every epoch" : "")}." : "")),
            new Paragraph($"{passed} of {report.Results.Count} specs passed, {report.Results.Count - passed} failed.", "Result:"),
            new Table(["#", "spec", "result", "worst forward (max abs, max rel)", "layer", "worst gradient (max abs, max rel)", "tensor, pair"],
                report.Results.Select(Row).ToList(), [true, false, false, true, false, true, false]),
        };
        var tolerances = SpecParityJson.UsedTolerances(report);
        if (tolerances.Count > 0)
        {
            blocks.Add(new Heading("Tolerances"));
            blocks.Add(new Table(["name", "rtol", "atol", "why"],
                tolerances.Select(t => (IReadOnlyList<string>)[t.Name, Show.Sci(t.Rtol), Show.Sci(t.Atol), t.Why]).ToList(), [false, true, true, false]));
        }
        if (report.Reasons.Count > 0)
        {
            blocks.Add(new Heading("Why it fails"));
            blocks.Add(new Bullets(report.Reasons.Select(r => new Paragraph(r)).ToList()));
        }
        return blocks;
    }

    static string Scope(SpecParityReport report) => report.Grid is { } g
        ? $"{g.Count} random specs drawn from seed {g.Seed} (shards: {g.ShardText}); {report.Results.Count} checked here, each in float64. " +
          $"Reproduce one: cnnparity parity --grid {g.Count} --seed {g.Seed} --shard I/{g.ShardCount}, or paste its spec into parity --arch."
        : $"{report.Results.Count} spec{(report.Results.Count == 1 ? "" : "s")} given by --arch.";

    static IReadOnlyList<string> Row(SpecParityResult r)
    {
        var f = r.WorstForward;
        var g = r.WorstGradient;
        return
        [
            r.Index?.ToString() ?? Show.None, r.Spec, r.Passed ? Judgement.Pass : Judgement.Fail,
            f is null ? Show.None : $"{Show.Sci(f.Distance.MaxAbs)}, {Show.Sci(f.Distance.MaxRel)}",
            f is null ? Show.None : $"{f.Layer} ({f.Dtype.ShortName()}, {f.Scope})",
            g is null ? Show.None : $"{Show.Sci(g.Distance.MaxAbs)}, {Show.Sci(g.Distance.MaxRel)}",
            g is null ? Show.None : $"{g.Tensor}, {g.Pair}",
        ];
    }
}
