using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;

namespace CnnParity.Parity;

/// <summary>
/// What the book's update rule does, measured on the first batch against the true descent step
/// −lr·∇L of the corrected loss (same weights, same mask):
/// the dense step is exact, the kernel step has the wrong sign, and its tanh' is taken on the
/// post-dropout activations (1 − (2t)² instead of 1 − t²) while the ×2 dropout scale is dropped.
/// </summary>
public static class BookRuleAnalysis
{
    public static IReadOnlyList<BookRuleFinding> Run(ParitySetup setup)
    {
        double lr = setup.Config.Alpha;
        var state = setup.ForwardFirstBatch(setup.Initial);
        var gradients = setup.Initial.CorrectedBackward(state, setup.FirstBatchOneHot);
        var descentW = Scale(gradients.DWeights, -lr);
        var descentK = Scale(gradients.DKernels, -lr);

        // The book's step, taken on a copy: W += WeightsUpdate, kernels -= lr * KernelsUpdate.
        var book = setup.Initial.Clone();
        var bookState = setup.ForwardFirstBatch(book);
        book.BookUpdate(bookState, setup.FirstBatchOneHot);
        var bookW = Difference(book.WeightsOneTwo, setup.Initial.WeightsOneTwo);
        var bookK = Difference(book.Kernels, setup.Initial.Kernels);

        double cosW = StepGeometry.Cosine(bookW, descentW), ratioW = StepGeometry.NormRatio(bookW, descentW);
        double maxRelW = TensorDistances.Measure(bookW, descentW).MaxRel;
        double cosK = StepGeometry.Cosine(bookK, descentK), ratioK = StepGeometry.NormRatio(bookK, descentK);
        var flipped = Scale(bookK, -1);
        double cosFlipped = StepGeometry.Cosine(flipped, descentK), ratioFlipped = StepGeometry.NormRatio(flipped, descentK);
        var (kept, negativeSlope) = PostDropoutSlopes(state);

        return new[]
        {
            new BookRuleFinding("weights_1_2", cosW, ratioW,
                $"The dense step is exact: the book's weights_1_2 update equals the descent step (cosine {cosW:F12}, norm ratio {ratioW:F12}, max relative difference {maxRelW:G3})."),
            new BookRuleFinding("kernels", cosK, ratioK,
                $"The kernel step points uphill: cosine with the descent step is {cosK:F4} (−1 would be exactly opposite); its length is {ratioK:F3}× the descent step's."),
            new BookRuleFinding("kernels (sign flipped)", cosFlipped, ratioFlipped,
                $"Even with its sign fixed, the kernel step is not the gradient: cosine {cosFlipped:F4}, norm ratio {ratioFlipped:F3}, because tanh' is taken after dropout (1 − (2t)²) and the ×2 scale is dropped; " +
                $"on {negativeSlope:P1} of the {kept} kept units 1 − (2t)² is negative, reversing their contribution."),
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

    static double[] Difference(double[] after, double[] before) => after.Select((v, i) => v - before[i]).ToArray();
}
