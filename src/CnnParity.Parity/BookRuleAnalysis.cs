using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Testing;

namespace CnnParity.Parity;

/// <summary>
/// What the book's update rule does, measured on the first batch against the true descent step
/// −lr·∇L of the corrected loss (same weights, same mask):
/// the dense step is exact, the kernel step has the wrong sign, and its tanh' is taken on the
/// post-dropout activations (1 − (2t)² instead of 1 − t²) while the ×2 dropout scale is dropped.
/// Dropping the ×2 only halves the step; so the sign-fixed book step against the descent step, after
/// allowing for that half, isolates the tanh'-after-dropout effect. At initialisation |t| is tiny and the
/// effect vanishes; at trained weights it does not, so the analysis runs at both. The book's rule is chapter 10's: this is
/// its extra section, on the chapter-10 engine itself (the notebook's arrays, NumPy's bits).
/// </summary>
public static class BookRuleAnalysis
{
    /// <summary>Whether the book's rule belongs to <paramref name="spec"/> (ch10 only: any other spec trains by SGD).</summary>
    public static bool AppliesTo(ArchitectureSpec spec) => spec.IsChapter10;

    /// <summary>The findings at the initial weights.</summary>
    public static IReadOnlyList<BookRuleFinding> Run(SpecParitySetup setup) =>
        Run(setup, ParameterSet<double>.FromArrays(setup.Spec, [.. setup.Spec.Parameters.Select(p => setup.Initial[p.Name])]), "at initialisation");

    /// <param name="weights">the weights to analyse the first batch at (with the notebook's first mask), the spec's layout</param>
    /// <param name="when">how the findings name these weights, e.g. "after 300 book epochs"</param>
    public static IReadOnlyList<BookRuleFinding> Run(SpecParitySetup setup, ParameterSet<double> weights, string when)
    {
        var layout = NotebookLayout.Of(setup.Spec);
        var s = setup.Settings;
        var config = layout.Config with { BatchSize = setup.Batch, Alpha = s.LearningRate, Threads = s.Threads, Exp = s.Exp };
        double lr = config.Alpha;
        // The first mask as the notebook holds it: 0/1, position-major (the spec's is NCHW, 0 or 2).
        var mask = layout.HiddenFromTorch<double>(setup.FirstMasks[setup.Spec.Layers.Single(l => l.Spec is DropoutSpec).Name]);
        for (int i = 0; i < mask.Length; i++) mask[i] /= 2;
        var oneHot = new double[setup.Batch * ArchitectureSpec.Classes];
        for (int r = 0; r < setup.Batch; r++) oneHot[r * ArchitectureSpec.Classes + setup.FirstBatchLabels[r]] = 1;
        BatchState Forward(ScratchNetwork network)
        {
            var batch = new BatchState(config, setup.Batch);
            network.Forward(batch, setup.FirstBatchImages, mask);
            return batch;
        }

        var network = NotebookParameters.ToNotebook(weights, config);
        var state = Forward(network);
        var gradients = network.CorrectedBackward(state, oneHot);
        var descentW = Scale(gradients.DWeights, -lr);
        var descentK = Scale(gradients.DKernels, -lr);

        // The book's step, taken on a copy; its update tensors are read directly (W += update, kernels -= lr·k_update),
        // not as differences of weights, which would add the rounding of the weight update itself.
        var book = network.Clone();
        var bookState = Forward(book);
        book.BookUpdate(bookState, oneHot);
        var bookW = bookState.WeightsUpdate;
        var bookK = Scale(bookState.KernelsUpdate, -lr);

        double cosW = StepGeometry.Cosine(bookW, descentW), ratioW = StepGeometry.NormRatio(bookW, descentW);
        var distanceW = DistanceMeter.Measure(bookW, descentW);
        string exactness = distanceW.MaxAbs == 0 ? "equal in every element, max difference 0" : $"max relative difference {distanceW.MaxRel:G3}";
        double cosK = StepGeometry.Cosine(bookK, descentK), ratioK = StepGeometry.NormRatio(bookK, descentK);
        var flipped = Scale(bookK, -1);
        double cosFlipped = StepGeometry.Cosine(flipped, descentK), ratioFlipped = StepGeometry.NormRatio(flipped, descentK);
        var (kept, negativeSlope) = PostDropoutSlopes(state);

        string uphill = cosK < 0 ? "points uphill" : "does not point uphill here";
        return new[]
        {
            new BookRuleFinding($"weights_1_2, {when}", cosW, ratioW,
                $"The dense step is exact: the book's weights_1_2 update is the descent step (cosine {cosW:F12}, norm ratio {ratioW:F12}, {exactness})."),
            new BookRuleFinding($"kernels, {when}", cosK, ratioK,
                $"The kernel step {uphill}: cosine with the descent step {cosK:F4} (−1 is exactly opposite), length {ratioK:F3}× the descent step's."),
            new BookRuleFinding($"kernels sign-fixed, {when}", cosFlipped, ratioFlipped,
                $"With its sign fixed, the kernel step has cosine {cosFlipped:F4} with the descent step and {ratioFlipped / 0.5:F3}× the length of the half step the dropped ×2 accounts for; " +
                $"that remainder is the tanh'-after-dropout effect: 1 − (2t)² replaces 1 − t² on every kept unit and is negative on {negativeSlope:P1} of the {kept} kept units, reversing their contribution."),
        };
    }

    // Among kept units (mask = 1), how often the book's derivative 1 − (2t)² has the opposite sign of 1 − t² (> 0).
    static (long Kept, double NegativeFraction) PostDropoutSlopes(BatchState state)
    {
        long kept = 0, negative = 0;
        for (int i = 0; i < state.Layer1.Length; i++)
        {
            if (state.DropoutMask[i] == 0) continue;
            kept++;
            double y = state.Layer1[i];
            if (1 - y * y < 0) negative++;
        }
        return (kept, kept == 0 ? 0 : (double)negative / kept);
    }

    static double[] Scale(double[] values, double factor) => values.Select(v => v * factor).ToArray();

}
