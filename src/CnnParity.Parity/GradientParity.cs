using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Testing;
using CnnParity.Torch;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Parity;

/// <summary>
/// Gradients of the corrected loss on the first batch from three sources: the hand-written backward pass,
/// TorchSharp autograd, and central finite differences (all kernel weights and an even sample of weights_1_2).
/// </summary>
public static class GradientParity
{
    /// <summary>How many weights_1_2 entries the finite differences probe (all 9·K kernel weights are probed).</summary>
    public const int DenseSample = 200;

    public sealed record Gradients(double[] Kernels, double[] WeightsOneTwo);

    public static IReadOnlyList<GradientComparison> Run(ParitySetup setup, Dtype dtype)
    {
        var state = setup.ForwardFirstBatch(setup.Initial);
        var manual = setup.Initial.CorrectedBackward(state, setup.FirstBatchOneHot);
        var autograd = Autograd(setup, state.DropoutMask, dtype);
        bool f32 = dtype == Dtype.Float32;
        var tolerance = f32 ? Tolerances.GradientFloat32 : Tolerances.GradientFloat64;
        var results = new List<GradientComparison>
        {
            Compare("kernels", dtype, "autograd vs manual", autograd.Kernels, manual.DKernels, tolerance),
            Compare("weights_1_2", dtype, "autograd vs manual", autograd.WeightsOneTwo, manual.DWeights, tolerance),
        };
        if (f32) return results; // finite differences are a float64 instrument

        var fd = FiniteDifference(setup, state.DropoutMask, out int[] sample);
        results.Add(Compare("kernels", dtype, "manual vs finite differences", manual.DKernels, fd.Kernels, Tolerances.FiniteDifference));
        results.Add(Compare("weights_1_2", dtype, "manual vs finite differences", Pick(manual.DWeights, sample), fd.WeightsOneTwo, Tolerances.FiniteDifference));
        results.Add(Compare("kernels", dtype, "autograd vs finite differences", autograd.Kernels, fd.Kernels, Tolerances.FiniteDifference));
        results.Add(Compare("weights_1_2", dtype, "autograd vs finite differences", Pick(autograd.WeightsOneTwo, sample), fd.WeightsOneTwo, Tolerances.FiniteDifference));
        return results;
    }

    /// <summary>TorchSharp autograd of the corrected loss, mapped back to the from-scratch layout.</summary>
    public static Gradients Autograd(ParitySetup setup, ReadOnlySpan<double> mask, Dtype dtype)
    {
        using var trainer = new TwinTrainer(setup.Twin(setup.Initial, dtype), setup.Config.Alpha);
        var twin = trainer.Network;
        using var scope = NewDisposeScope();
        var (loss, _) = trainer.Loss(setup.FirstBatchImages, setup.FirstBatchLabels, mask);
        loss.backward();
        return new Gradients(
            setup.Layout.KernelsFromConvWeight(SpecLayout.ToDoubles(twin.ConvWeight.grad!)),
            setup.Layout.DenseFromLinearWeight(SpecLayout.ToDoubles(twin.LinearWeight.grad!)));
    }

    /// <summary>Central differences of the float64 from-scratch loss, with the same mask held fixed.</summary>
    public static Gradients FiniteDifference(ParitySetup setup, ReadOnlySpan<double> mask, out int[] denseSample)
    {
        var network = setup.Initial.Clone();
        var loss = new CorrectedLoss(network, setup.FirstBatchImages, setup.FirstBatchLabels, mask);
        var allKernels = Enumerable.Range(0, network.Kernels.Length).ToArray();
        denseSample = EvenSample.Indices(network.WeightsOneTwo.Length, DenseSample);
        var kernels = FiniteDifferences.Central(network.Kernels, loss.Evaluate, allKernels, Tolerances.FiniteDifferenceStep);
        loss.Evaluate(); // the hidden layer at the unperturbed kernels, reused by every dense probe
        return new Gradients(kernels,
            FiniteDifferences.Central(network.WeightsOneTwo, loss.EvaluateDense, denseSample, Tolerances.FiniteDifferenceStep));
    }

    static double[] Pick(double[] values, int[] indices) => indices.Select(i => values[i]).ToArray();

    static GradientComparison Compare(string tensor, Dtype dtype, string pair, double[] actual, double[] expected, Tolerance tolerance)
    {
        var meter = new DistanceMeter(tolerance, TwinDtype.Of(dtype));
        meter.Add(actual, expected);
        return new GradientComparison(tensor, dtype, pair, meter.Result, tolerance, meter.Pass, actual.Length);
    }
}
