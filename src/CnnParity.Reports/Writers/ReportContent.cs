using CnnParity.Core.Architecture;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Parity.Results;
using CnnParity.Parity.Triage;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>
/// What the Markdown and HTML reports say, in order, as blocks. Verdict first, because that is what a reader
/// (and a CI log) needs before anything else; then the evidence, from the cheapest check to the slowest.
/// </summary>
internal static class ReportContent
{
    /// <summary>Epochs between rows of the accuracy table (plus the final and best rows).</summary>
    public const int AccuracyRowEvery = 25;

    public const string Title = "CnnParity parity report";

    /// <summary>The whole report.</summary>
    public static IReadOnlyList<Block> Full(ParityReport r, IReadOnlyList<ClassificationMetrics> metrics) =>
    [
        .. VerdictBlocks(r),
        .. BackendSection(r.Backend),
        new Heading("Environment"), Environment(r.Environment),
        new Heading("Configuration"), Configuration(r.Configuration),
        new Heading("Forward parity: from-scratch vs TorchSharp"), .. Forward(r.Forward), new PlotSlot(PlotKind.ForwardError),
        new Heading("Gradient parity"), .. Gradients(r.Gradients),
        new Heading("Tolerances"), .. Tolerances(r),
        .. BookRuleSection(r),
        new Heading("Accuracy"), .. Accuracy(r), new PlotSlot(PlotKind.Accuracy), new PlotSlot(PlotKind.LockstepDrift),
        new Heading("ML.NET metrics (test set)"), .. MetricsOverview(metrics), .. PerClass(metrics), new PlotSlot(PlotKind.Confusion),
        new Heading(DeployedHeading), .. Deployed(r.Deployed),
        new Heading("Speed"), .. Speed(r.Speed), new PlotSlot(PlotKind.Speed),
    ];

    /// <summary>The part for a CI job summary: verdict and the tables a reviewer scans, no environment detail.</summary>
    public static IReadOnlyList<Block> Summary(ParityReport r, IReadOnlyList<ClassificationMetrics> metrics) =>
    [
        .. VerdictBlocks(r),
        .. BackendSection(r.Backend),
        new Heading("Forward parity"), .. Forward(r.Forward),
        new Heading("Gradient parity"), .. Gradients(r.Gradients),
        new Heading("Accuracy"), .. Accuracy(r),
        new Heading("ML.NET metrics (test set)"), .. MetricsOverview(metrics),
        new Heading(DeployedHeading), .. Deployed(r.Deployed),
        new Heading("Speed"), .. Speed(r.Speed),
    ];

    public const string DeployedHeading = "Deployed model (ONNX Runtime, ML.NET)";

    public const string BackendHeading = "FAIL: LibTorch crashed";

    /// <summary>Issue 20: the TorchSharp side died on a signal; what, where, and what to set.</summary>
    private static IEnumerable<Block> BackendSection(Parity.Doctor.BackendCrash? crash)
    {
        if (crash is null) yield break;
        yield return new Heading(BackendHeading);
        yield return KeyValue([("phase", crash.Phase), ("op", crash.Op ?? "not known (the run died outside the pre-flight probe's ops)"),
            ("signal", crash.SignalName), ("the doctor's hint", crash.Hint)]);
        yield return new Paragraph("The run stopped there: the tables below hold only what was measured before it (nothing, when the pre-flight " +
            "probe found the crash). LibTorch, not CnnParity, is what failed; see docs/GUIDE.md, \"When LibTorch is wrong on your machine\".");
    }

    private static IEnumerable<Block> VerdictBlocks(ParityReport r)
    {
        yield return new VerdictLine(r.Verdict, Title);
        if (r.Reasons.Count > 0)
            yield return new Bullets([.. r.Reasons.Select(x => new Paragraph(x))]);
        else
            yield return new Paragraph(
                $"{r.Forward.Count} forward and {r.Gradients.Count} gradient checks within their bounds; " +
                $"{r.Training.Count} training runs, none diverged.");
        yield return new Paragraph(WhoIsWrong.Summary(r), "Who is wrong:");
        yield return new Paragraph(ConfigurationLine(r.Configuration), "Run:");
    }

    private static string ConfigurationLine(ReportConfiguration c) =>
        $"{c.Dataset}, seed {c.Seed}, {Network(c)}, {c.Epochs} epochs (batch {c.BatchSize}{(c.Rule != OptimizerSettings.Sgd ? $", {c.Rule}" : "")}, lr {Show.G(c.LearningRate)}" +
        $"{(c.Momentum != 0 ? $", momentum {Show.G(c.Momentum)}" : "")}{(c.LearningRateDecay != 1 ? $", lr ×{Show.G(c.LearningRateDecay)} an epoch" : "")}" +
        $"{(c.Shuffle ? ", reshuffled every epoch" : "")}), {c.TrainCount} training / {c.TestCount} test images{(c.Quick ? " (quick)" : "")}.";

    // ch10's kernels and grid, when the network has them.
    private static string Network(ReportConfiguration c) =>
        c.NumKernels is int k && c.Grid is int g ? $"{c.Arch} ({k} kernels, {g}×{g} positions)" : c.Arch;

    private static Table Environment(ReportEnvironment e) => KeyValue([
        ("CPU", e.Cpu), ("logical cores", Show.Int(e.LogicalCores)), ("threads", Show.Int(e.Threads)), ("OS", e.Os),
        (".NET", e.DotNet), ("CnnParity", e.CnnParity), ("TorchSharp", e.TorchSharp), ("LibTorch", e.LibTorch), ("ML.NET", e.MlNet),
        ("NumPy", e.NumPy ?? "not available"),
        .. (e.LibTorchWarnings ?? []).Select(w => ("LibTorch warned", w))]);

    private static Table Configuration(ReportConfiguration c) => KeyValue([
        ("dataset", c.Dataset), ("seed", c.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("architecture", c.Arch), ("spec", c.Spec ?? c.Arch),
        .. c.NumKernels is int k && c.Grid is int g ? new[] { ("kernels", Show.Int(k)), ("positions", $"{g}×{g}") } : [],
        ("epochs", Show.Int(c.Epochs)), ("training images", Show.Int(c.TrainCount)), ("test images", Show.Int(c.TestCount)),
        ("batch size", Show.Int(c.BatchSize)), ("optimizer", Optimizer(c.Rule)), ("learning rate", Show.G(c.LearningRate)), ("momentum", c.Rule.IsAdam ? "none (Adam keeps its own moments, β1 and β2)" : Show.G(c.Momentum)),
        ("weight decay", c.Rule.WeightDecay == 0 ? "none" : $"{Show.G(c.Rule.WeightDecay)} ({(c.Rule.Kind == OptimizerKind.AdamW ? "decoupled: p·(1 − lr·wd)" : "L2: added to the gradient")})"),
        ("learning rate decay", c.LearningRateDecay != 1 ? $"×{Show.G(c.LearningRateDecay)} after every epoch (ExponentialLR)" : "none"),
        ("shuffle", c.Shuffle ? "every epoch (np.random.permutation)" : "no (file order)"),
        ("mode", c.Quick ? "quick" : "full"), ("pinned for determinism", c.PinnedForDeterminism),
        ("np.exp mirrored", $"{c.NumPyExp}: {c.NumPyExpReason}")]);

    // The optimizer as torch.optim names it, with Adam's settings (β1, β2, eps); its weight decay has a row of its own.
    private static string Optimizer(OptimizerSettings o) => o.Kind switch
    {
        OptimizerKind.Adam => $"torch.optim.Adam (β1 {Show.G(o.Beta1)}, β2 {Show.G(o.Beta2)}, eps {Show.G(o.Eps)})",
        OptimizerKind.AdamW => $"torch.optim.AdamW (β1 {Show.G(o.Beta1)}, β2 {Show.G(o.Beta2)}, eps {Show.G(o.Eps)})",
        _ => "torch.optim.SGD",
    };

    private static IEnumerable<Block> Forward(IReadOnlyList<TriagedCheck> rows)
    {
        if (rows.Count == 0) { yield return new Paragraph("Not run."); yield break; }
        yield return new Paragraph(
            "Each layer's output, engine and twin, against the float64 truth: in float64 the opinion two of the float64 reference, " +
            "the engine and the twin agree on (within the float64 tolerance); in float32 the float64 reference computed from the " +
            "float32 weights and images, each side within the rounding bound the reference carries to that layer. A cell reads the " +
            "side's largest distance from the truth, and in brackets its worst element in bounds (1 is the edge).");
        yield return TriageRows.Table(rows, "layer");
    }

    private static IEnumerable<Block> Gradients(IReadOnlyList<TriagedCheck> rows)
    {
        if (rows.Count == 0) { yield return new Paragraph("Not run."); yield break; }
        yield return new Paragraph(
            "Each parameter's gradient: the engine's backward pass and TorchSharp's autograd against the float64 truth, and in float64 " +
            "against central finite differences too. In float32 the truth follows each side's own branch decisions: a ReLU sign or " +
            "max-pool pick that rounding decided otherwise is counted, not failed.");
        yield return TriageRows.Table(rows, "parameter");
    }

    /// <summary>Each bound once, with its reason: the tables above refer to them by name.</summary>
    private static IEnumerable<Block> Tolerances(ParityReport r)
    {
        var tolerances = CheckRowsJson.UsedTolerances([r.Checks], r.Configuration.LearningRate, r.Configuration.Rule);
        yield return new Paragraph(
            $"A float32 result is held to the float64 truth within its {RoundingBound.Name}: {RoundingBound.Description}. " +
            "Two float64 results agree when |a − b| ≤ atol + rtol·|b| for every element (as torch.testing.assert_close).");
        if (tolerances.Count > 0) yield return ToleranceTable(tolerances);
    }

    /// <summary>The float64 tolerances by name, with their reasons.</summary>
    public static Table ToleranceTable(IEnumerable<Testing.Tolerance> tolerances) => new(["name", "rtol", "atol", "why"],
        [.. tolerances.Select(t => (IReadOnlyList<string>)[t.Name, Show.Sci(t.Rtol), Show.Sci(t.Atol), t.Why])],
        [false, true, true, false]);

    /// <summary>The book's update rule belongs to ch10 (its findings): another spec trains by SGD, and has no such section.</summary>
    private static IEnumerable<Block> BookRuleSection(ParityReport r) =>
        r.BookRule.Count == 0 ? [] : [new Heading("The book's update rule"), BookRule(r.BookRule)];

    // Each finding states its own numbers (cosine, norm ratio); the table of them is in the JSON.
    private static Bullets BookRule(IReadOnlyList<BookRuleFinding> findings) =>
        new([.. findings.Select(f => new Paragraph(f.Finding.TrimEnd(), f.Tensor + ":"))]);

    private static IEnumerable<Block> Accuracy(ParityReport r)
    {
        var runs = r.Training;
        if (runs.Count == 0) { yield return new Paragraph("No training runs."); yield break; }
        bool book = r.Configuration.IsBookPrintedRun;
        // A short run shows every epoch; a long one (ch10's 300) the book's stride.
        int every = runs.Max(x => x.Epochs.Count) <= AccuracyRowEvery ? 1 : AccuracyRowEvery;
        yield return new Paragraph(
            (every == 1 ? "Test / train accuracy, every epoch (0-based)," : $"Test / train accuracy, every {every} epochs (0-based, as the book counts),") +
            " then the final and the best epoch." +
            (book ? $" The book's printed run ({BookPrintedRun.Line}) is shown beside ours." : ""));

        var headers = new List<string> { "epoch" };
        headers.AddRange(runs.Select(x => x.Model));
        if (book) headers.Add("book, as printed");

        var rows = new List<IReadOnlyList<string>>();
        // A single-epoch run (the ML.NET baseline) has no curve: it appears in the final and best rows only.
        var periodic = runs.Where(x => x.Epochs.Count > 1).SelectMany(x => x.Epochs).Select(e => e.Epoch)
            .Where(e => e % every == 0).Distinct().Order();
        foreach (int epoch in periodic)
        {
            var row = new List<string> { Show.Int(epoch) };
            row.AddRange(runs.Select(x => x.Epochs.Count > 1 && x.Epochs.FirstOrDefault(e => e.Epoch == epoch) is { } e
                ? TestTrain(e) : Show.None));
            if (book) row.Add(Show.None);
            rows.Add(row);
        }

        var final = new List<string> { "final" };
        final.AddRange(runs.Select(x => x.Epochs.Count == 0 ? Show.None
            : TestTrain(x.Epochs[^1]) + (x.Diverged is null ? "" : " (diverged)")));
        if (book) final.Add($"{Show.Acc(BookPrintedRun.TestAcc)} / {Show.Acc(BookPrintedRun.TrainAcc)} (I:{BookPrintedRun.Epoch})");
        rows.Add(final);

        var best = new List<string> { "best test" };
        best.AddRange(runs.Select(x => x.Epochs.Count == 0 ? Show.None
            : x.Epochs.MaxBy(e => e.TestAcc) is { } b ? $"{Show.Acc(b.TestAcc)} @ {b.Epoch}" : Show.None));
        if (book) best.Add(Show.None);
        rows.Add(best);

        yield return new Table(headers, rows, [false, .. Enumerable.Repeat(true, headers.Count - 1)]);
        foreach (var run in runs.Where(x => x.Flips is not null))
            yield return Lockstep(run);
    }

    // Where the lockstep twins disagree on a test image (checked every 25th and the last epoch), and how close to
    // a tie the from-scratch logits were: a flip on a near-tie is rounding, a flip on a clear margin is a bug.
    private static Paragraph Lockstep(TrainingRun run)
    {
        var drift = run.Epochs.LastOrDefault(e => e.MaxParamRelDiff is not null);
        const string measure = "drift (max |twin − engine| over a tensor relative to its largest parameter, the worst tensor's)";
        string driftText = drift is null ? "" : $"{measure} after epoch {drift.Epoch}: {Show.Sci(drift.MaxParamRelDiff!.Value)}. ";
        if (drift?.Sensitivity is double sensitivity)
            driftText += $"The engine started one ULP away in every weight drifted {Show.Sci(sensitivity)} from itself by then (its sensitivity: " +
                         $"how far rounding alone carries this run); the drift may reach the larger of the lockstep limit and " +
                         $"{Show.G(CnnParity.Parity.Tolerances.SpecLockstepSensitivityFactor)}× the sensitivity. ";
        var flips = run.Flips!;
        string flipText = flips.Count == 0
            ? "No test prediction differs between the twins at any checked epoch (every 25th and the last)."
            : $"{flips.Count} test predictions differ between the twins at the checked epochs; the largest from-scratch margin " +
              $"(top-1 minus top-2 logit) among them is {Show.Sci(flips.Max(f => f.ScratchMargin))}: " +
              string.Join("; ", flips.Take(5).Select(f => $"epoch {f.Epoch}, image {f.Image}: {f.ScratchPrediction} vs {f.TwinPrediction}, margin {Show.Sci(f.ScratchMargin)}")) +
              (flips.Count > 5 ? "; ..." : ".");
        return new Paragraph(driftText + flipText, $"{run.Model}:");
    }

    private static string TestTrain(EpochRecord e) => $"{Show.Acc(e.TestAcc)} / {Show.Acc(e.TrainAcc)}";

    private static IEnumerable<Block> MetricsOverview(IReadOnlyList<ClassificationMetrics> metrics)
    {
        if (metrics.Count == 0) { yield return new Paragraph("No test predictions."); yield break; }
        yield return new Table(
            ["model", "images", "micro accuracy", "macro accuracy", "log-loss", "log-loss reduction"],
            [.. metrics.Select(m => (IReadOnlyList<string>)[
                m.Model, Show.Int(m.Count), Show.Acc(m.MicroAccuracy), Show.Acc(m.MacroAccuracy),
                m.LogLoss is double l ? Show.Fixed(l, 4) : Show.None,
                m.LogLossReduction is double lr ? Show.Fixed(lr, 4) : Show.None])],
            [false, true, true, true, true, true]);
        var missing = metrics.Where(m => m.LogLossUnavailable is not null).ToList();
        if (missing.Count > 0)
            yield return new Bullets([.. missing.Select(m => new Paragraph($"no log-loss: {m.LogLossUnavailable}.", m.Model + ":"))]);
    }

    private static IEnumerable<Block> PerClass(IReadOnlyList<ClassificationMetrics> metrics)
    {
        if (metrics.Count == 0) yield break;
        yield return new Paragraph("Precision / recall per digit:");
        var headers = new List<string> { "digit" };
        headers.AddRange(metrics.Select(m => m.Model));
        var rows = Enumerable.Range(0, ArchitectureSpec.Classes).Select(d => (IReadOnlyList<string>)[
            d.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. metrics.Select(m => d < m.PerClassPrecision.Count
                ? $"{Show.Fixed(m.PerClassPrecision[d], 2)} / {Show.Fixed(m.PerClassRecall[d], 2)}" : Show.None)]).ToList();
        yield return new Table(headers, rows, [.. Enumerable.Repeat(true, headers.Count)]);
    }

    /// <summary>
    /// The network exported to ONNX and run as a deployment runs it, against the from-scratch network and the twin at
    /// the same weights: each output's distance, the images classified differently, the accuracies, ML.NET's metrics.
    /// </summary>
    private static IEnumerable<Block> Deployed(DeployedModelSection? section)
    {
        if (section is null) { yield return new Paragraph("Not exported in this run."); yield break; }
        var d = section.Model;
        yield return new Paragraph(
            $"The {d.Arch} network at its {d.Weights}, exported to ONNX (opset {d.Opset}, IR {d.IrVersion}, {Show.Int(d.Nodes)} nodes, " +
            $"{Show.Int(d.Parameters)} parameters, {Show.Int(d.FileBytes)} bytes) and scored on {Show.Int(d.TestCount)} test images by " +
            $"{section.Runtimes}: directly, and through ML.NET's ApplyOnnxModel over an IDataView. All in float32 " +
            "(ONNX Runtime's CPU Conv has no float64 kernel); the from-scratch network and the TorchSharp twin hold the same float32 weights. " +
            "Each is judged against the float64 truth computed from those weights and images, within the rounding bound the truth carries.");
        yield return TriageRows.Table(d.Checks, "output");
        yield return new Table(
            ["predictions of", "images", "classes unlike the truth's", "beyond rounding"],
            [.. d.Agreements.Select(a => (IReadOnlyList<string>)[
                a.Implementation, Show.Int(a.Count), Show.Int(a.Flipped), Show.Int(a.Unexplained)])],
            [false, true, true, true]);
        var flips = d.Agreements.SelectMany(a => a.Flips.Select(f => (a, f))).ToList();
        if (flips.Count > 0)
            yield return new Bullets([.. flips.Take(10).Select(x => new Paragraph(
                $"{x.a.Implementation} says {x.f.Prediction}, the float64 truth {x.f.TruthPrediction}, ahead by " +
                $"{Show.Sci(x.f.TruthMargin)} ({(x.f.Explained ? "a near tie, within rounding" : "beyond rounding")}).", $"image {x.f.Image}:"))]);
        var m = section.MlNetMetrics;
        yield return new Table(
            ["model", "correct", "accuracy"],
            [.. d.Accuracies.Select(a => (IReadOnlyList<string>)[a.Model, Show.Int(a.Correct), Show.Acc(a.Accuracy)])],
            [false, true, true]);
        yield return new Paragraph(
            $"micro accuracy {Show.Acc(m.MicroAccuracy)}, macro accuracy {Show.Acc(m.MacroAccuracy)}, " +
            (m.LogLoss is double l ? $"log-loss {Show.Fixed(l, 4)}" : $"no log-loss ({m.LogLossUnavailable})") + ".",
            "ML.NET's multiclass metrics of the ApplyOnnxModel pipeline:");
    }

    private static IEnumerable<Block> Speed(SpeedSection speed)
    {
        if (speed.Rows.Count == 0)
            yield return new Paragraph("Epoch times not measured (--bench-reps 0).");
        else
        {
            // NumPy's reference program is the chapter-10 notebook's: only where it applies is its absence said.
            if (speed.NumPyMissing is { } missing)
                yield return new Paragraph($"NumPy's reference program was not timed: {missing}.");
            if (speed.Rows.Any(s => s.Implementation.StartsWith(TwinRowPrefix, StringComparison.Ordinal) && s.Implementation.EndsWith(" threads)", StringComparison.Ordinal)))
                yield return new Paragraph(
                    "TorchSharp is timed at one LibTorch thread (the pin the parity checks keep) and at every core (LibTorch's own default); " +
                    "the goal is judged against the faster of the two.");
            yield return new Table(
                ["implementation", "work", "rounds", "median", "spread (min–max)", "× fastest", "× fastest, round by round"],
                [.. speed.Rows.Select(s => (IReadOnlyList<string>)[
                    s.Implementation, s.Work, Show.Int(s.Repetitions), Show.Seconds(s.MedianSeconds),
                    $"{Show.Seconds(s.MinSeconds)} – {Show.Seconds(s.MaxSeconds)}", Show.Ratio(s.RatioToFastest),
                    $"{Show.Ratio(s.RoundRatioMin)} – {Show.Ratio(s.RoundRatioMax)}"])],
                [false, false, true, true, true, true, true]);
        }
        if (speed.Floor is { } f)
            yield return new Paragraph(
                $"{Show.G(f.MultiplyAdds / 1e9)} G multiply-adds per epoch at {Show.G(f.MultiplyAddsPerSecondPerThread / 1e9)} G/s per thread " +
                $"× {f.Threads} threads = {Show.Seconds(f.Seconds)} per epoch. {f.Counted} " +
                $"The rate was measured on this machine just before the rounds ({f.VectorBits}-bit vectors; {ComputeFloorRow.MeasuredBy}).",
                "Compute floor:");
        if (speed.Goals.Count == 0) yield break;
        yield return new Paragraph("Speed goals, from the rounds above (reported, never part of the verdict):");
        yield return new Table(
            ["goal", "against", "measured", "round by round", "target", "set for", "met"],
            [.. speed.Goals.Select(g => (IReadOnlyList<string>)[
                g.Name, g.Against.Length == 0 ? Show.None : g.Against, Measured(g.Measured, g.Unit),
                g.RoundMin == g.RoundMax ? Show.None : $"{Measured(g.RoundMin, g.Unit)} – {Measured(g.RoundMax, g.Unit)}",
                g.Target, g.AppliesTo, g.Met switch { true => "yes", false => "no", null => "n/a here" }])],
            [false, false, true, true, true, false, false]);
    }

    private const string TwinRowPrefix = "TorchSharp twin (";

    private static string Measured(double value, string unit) => unit == "s" ? Show.Seconds(value) : Show.Ratio(value);

    private static Table KeyValue(IEnumerable<(string Key, string Value)> pairs) =>
        new(["", ""], [.. pairs.Select(p => (IReadOnlyList<string>)[p.Key, p.Value])], [false, false]);

    private static string PassFail(bool pass) => pass ? Judgement.Pass : Judgement.Fail;
}
