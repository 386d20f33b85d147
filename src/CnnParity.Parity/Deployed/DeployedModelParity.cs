using CnnParity.Core;
using CnnParity.Testing;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Onnx;
using CnnParity.Onnx.Export;
using CnnParity.Onnx.Scoring;
using CnnParity.Parity.Results;
using CnnParity.Torch;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Parity.Deployed;

/// <summary>
/// Proves the deployed graph equal: the .onnx file run by ONNX Runtime (directly, and through ML.NET's
/// ApplyOnnxModel) against the from-scratch network and the TorchSharp twin holding the same weights, on every test
/// image, in float32 — ONNX Runtime's CPU Conv has no float64 kernel, so float32 is what a deployment runs. Each output
/// (logits, probabilities) is held to <see cref="Tolerances.DeployedFloat32"/>, and every image whose predicted class
/// differs is listed with how close the reference was to a tie.
/// </summary>
public static class DeployedModelParity
{
    /// <summary>The implementations as the tables name them.</summary>
    public const string OnnxRuntime = "ONNX Runtime", MlNet = "ML.NET ApplyOnnxModel",
        Scratch = "from-scratch (f32)", Twin = "TorchSharp twin (f32)";

    // Images per from-scratch and twin pass: every layer's output of a chunk is kept, so the chunk bounds the memory.
    const int Chunk = 500;

    // Flips listed per agreement; the count covers all of them.
    const int FlipsKept = 20;

    /// <summary>Exports <paramref name="parameters"/> and proves the export (the report's section).</summary>
    /// <param name="images">test images, pixels/255, image after image</param>
    public static DeployedModel Run(ArchitectureSpec spec, ParameterSet<double> parameters, ModelProvenance provenance,
        ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, int threads)
    {
        byte[] bytes = OnnxExporter.Export(spec, name => parameters[name], provenance);
        var file = OnnxModelFile.FromBytes($"{spec.DisplayName}.onnx", bytes, spec);
        return Run(file, parameters, provenance.Weights, Float32(images[..(labels.Length * spec.Input.Size)]), labels.ToArray(), threads);
    }

    /// <summary>Proves a model file read from disk against the spec it was checked with, at the file's own weights.</summary>
    public static DeployedModel Run(OnnxModelFile file, ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, int threads)
    {
        var parameters = ParameterSet<double>.FromArrays(file.Spec, [.. file.Spec.Parameters.Select(p => file.Parameter(p.Name))]);
        string weights = file.Metadata.GetValueOrDefault(OnnxExporter.WeightsKey) ?? "not stated in the file";
        return Run(file, parameters, weights, Float32(images[..(labels.Length * file.Spec.Input.Size)]), labels.ToArray(), threads);
    }

    static DeployedModel Run(OnnxModelFile file, ParameterSet<double> parameters, string weights, float[] images, byte[] labels, int threads)
    {
        var spec = file.Spec;
        int count = labels.Length;
        OnnxOutputs runtime;
        using (var scorer = new OnnxRuntimeScorer(file.Bytes, threads, [spec.Input.Channels, spec.Input.Height, spec.Input.Width]))
            runtime = scorer.Score(images, count);
        var mlnet = MlNetOnnxScoring.Score(file.Bytes, spec, images, count);
        double[] ortLogits = Widen(runtime.Logits), ortProbabilities = Widen(runtime.Probabilities);
        double[] mlnetLogits = Widen(mlnet.Logits), mlnetProbabilities = Widen(mlnet.Probabilities);

        // The float32 weights, rounded once as the exporter rounds them: the from-scratch network's, and (widened) its reference's.
        var float32 = parameters.ToFloat32();
        double[] scratchLogits = Logits(new SpecNetwork<float>(spec, float32, threads), images, count);
        // The from-scratch network stops at the logits (its loss takes them whole); its probabilities are their softmax
        // in float64, with the max shifted out.
        double[] scratchProbabilities = Predictions.Probabilities(scratchLogits);
        var (twinLogits, twinProbabilities) = TwinOutputs(spec, parameters, images, count);

        // The float32 engine's own rounding: its distance from the same network, weights and images in float64.
        double[] exactLogits = Logits(new SpecNetwork<double>(spec, float32.ToFloat64(), threads), Widen(images), count);
        Tolerance logitTolerance = Tolerances.DeployedFloat32("logits",
                DistanceMeter.Measure(scratchLogits, exactLogits).MaxAbs),
            probabilityTolerance = Tolerances.DeployedFloat32("probabilities",
                DistanceMeter.Measure(scratchProbabilities, Predictions.Probabilities(exactLogits)).MaxAbs);
        var comparisons = new List<DeployedComparison>
        {
            Compare("logits", OnnxRuntime, Scratch, ortLogits, scratchLogits, logitTolerance),
            Compare("probabilities", OnnxRuntime, Scratch, ortProbabilities, scratchProbabilities, probabilityTolerance),
            Compare("logits", OnnxRuntime, Twin, ortLogits, twinLogits, logitTolerance),
            Compare("probabilities", OnnxRuntime, Twin, ortProbabilities, twinProbabilities, probabilityTolerance),
            Compare("logits", MlNet, OnnxRuntime, mlnetLogits, ortLogits, logitTolerance),
            Compare("probabilities", MlNet, OnnxRuntime, mlnetProbabilities, ortProbabilities, probabilityTolerance),
        };
        var agreements = new List<DeployedAgreement>
        {
            Agreement(OnnxRuntime, Scratch, ortLogits, scratchLogits, logitTolerance),
            Agreement(OnnxRuntime, Twin, ortLogits, twinLogits, logitTolerance),
            Agreement(MlNet, OnnxRuntime, mlnetLogits, ortLogits, logitTolerance),
        };
        var accuracies = new List<DeployedAccuracy>
        {
            new(OnnxRuntime, Predictions.CountCorrect(ortLogits, labels), count),
            new(MlNet, Predictions.CountCorrect(mlnetLogits, labels), count),
            new(Scratch, Predictions.CountCorrect(scratchLogits, labels), count),
            new(Twin, Predictions.CountCorrect(twinLogits, labels), count),
        };
        var mlnetRun = new TrainingRun(MlNet, [], labels, Predictions.ArgMax(mlnetLogits), mlnetProbabilities);
        string arch = file.Metadata.GetValueOrDefault(OnnxExporter.ArchKey) ?? spec.DisplayName;
        return new DeployedModel(arch, spec.Text, weights, file.Bytes.Length, file.Opset, file.IrVersion, file.Nodes,
            spec.ParameterCount, count, comparisons, agreements, accuracies, mlnetRun);

        static DeployedComparison Compare(string output, string runtimeName, string reference, double[] actual, double[] expected, Tolerance tolerance)
        {
            var meter = new DistanceMeter(tolerance, TorchSharp.torch.ScalarType.Float32);
            meter.Add(actual, expected);
            return new DeployedComparison(output, runtimeName, reference, meter.Result, tolerance, meter.Pass);
        }
    }

    /// <summary>
    /// Images whose first-maximum class differs. A flip is explained when the reference's top two logits are closer than
    /// the tolerance lets each of them move (2·(atol + rtol·|top|)): a near tie broken the other way by rounding.
    /// </summary>
    static DeployedAgreement Agreement(string runtime, string reference, double[] actual, double[] expected, Tolerance tolerance)
    {
        const int classes = ArchitectureSpec.Classes;
        int[] a = Predictions.ArgMax(actual), e = Predictions.ArgMax(expected);
        var flips = new List<DeployedFlip>();
        int flipped = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == e[i]) continue;
            flipped++;
            var row = expected.AsSpan(i * classes, classes);
            double top = row[e[i]], second = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) if (c != e[i]) second = Math.Max(second, row[c]);
            double margin = top - second;
            bool explained = margin <= 2 * (tolerance.Atol + tolerance.Rtol * Math.Abs(top));
            if (flips.Count < FlipsKept || !explained) flips.Add(new DeployedFlip(i, a[i], e[i], margin, explained));
        }
        return new DeployedAgreement(runtime, reference, a.Length, flipped, flips);
    }

    // The generic engine's logits (evaluation mode), a chunk of images at a time.
    static double[] Logits<T>(SpecNetwork<T> network, T[] images, int count)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int pixels = network.Spec.Input.Size, classes = ArchitectureSpec.Classes;
        var logits = new double[count * classes];
        ForwardPass<T>? pass = null;
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            pass = network.Forward(images.AsSpan(start * pixels, n * pixels), n, null, pass?.Batch == n ? pass : null);
            for (int i = 0; i < n * classes; i++) logits[start * classes + i] = double.CreateTruncating(pass.Logits[i]);
        }
        return logits;
    }

    // The TorchSharp twin in float32 (each parameter rounded once on the way in), its logits and its own softmax.
    static (double[] Logits, double[] Probabilities) TwinOutputs(ArchitectureSpec spec, ParameterSet<double> parameters, float[] images, int count)
    {
        using var twin = new SpecTwin(spec, float32);
        foreach (var p in spec.Parameters) twin.Load(p, parameters[p.Name]);
        int pixels = spec.Input.Size, classes = ArchitectureSpec.Classes;
        var logits = new double[count * classes];
        var probabilities = new double[count * classes];
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var pass = twin.Forward(SpecLayout.ToTorch(images.AsSpan(start * pixels, n * pixels), spec.Input.BatchShape(n)), null);
            SpecLayout.ToDoubles(pass.Logits).CopyTo(logits, start * classes);
            SpecLayout.ToDoubles(pass.Logits.softmax(1)).CopyTo(probabilities, start * classes);
        }
        return (logits, probabilities);
    }

    static float[] Float32(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (float)values[i];
        return result;
    }

    static double[] Widen(float[] values) => [.. values.Select(v => (double)v)];
}
