using CnnParity.Core;
using CnnParity.Testing;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Reference;
using CnnParity.Onnx;
using CnnParity.Onnx.Export;
using CnnParity.Onnx.Scoring;
using CnnParity.Parity.Results;
using CnnParity.Parity.Triage;
using CnnParity.Torch;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Parity.Deployed;

/// <summary>
/// Proves the deployed graph right: the .onnx file run by ONNX Runtime (directly, and through ML.NET's ApplyOnnxModel),
/// and the from-scratch network and the TorchSharp twin holding the same weights, on every test image in float32 —
/// ONNX Runtime's CPU Conv has no float64 kernel, so float32 is what a deployment runs — each judged against the float64
/// truth: the float64 reference from the same float32 weights and images, with the rounding bound it carries through the
/// network (<see cref="RoundingBound"/>). Every image whose predicted class differs from the truth's is listed with how
/// near a tie the truth was.
/// </summary>
public static class DeployedModelParity
{
    /// <summary>The implementations as the tables name them.</summary>
    public const string OnnxRuntime = "ONNX Runtime", MlNet = "ML.NET ApplyOnnxModel",
        Scratch = "from-scratch (f32)", Twin = "TorchSharp twin (f32)";

    // Images per pass: every layer's output of a chunk is kept, so the chunk bounds the memory.
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
        int count = labels.Length, classes = ArchitectureSpec.Classes;
        OnnxOutputs runtime;
        using (var scorer = new OnnxRuntimeScorer(file.Bytes, threads, [spec.Input.Channels, spec.Input.Height, spec.Input.Width]))
            runtime = scorer.Score(images, count);
        var mlnet = MlNetOnnxScoring.Score(file.Bytes, spec, images, count);

        // The float32 weights, rounded once as the exporter rounds them: the from-scratch network's, and (widened) the truth's.
        var float32 = parameters.ToFloat32();
        double[] scratchLogits = Logits(new SpecNetwork<float>(spec, float32, threads), images, count);
        var (twinLogits, twinProbabilities) = TwinOutputs(spec, parameters, images, count);
        var sides = new (string Name, double[] Logits, double[] Probabilities)[]
        {
            (OnnxRuntime, Widen(runtime.Logits), Widen(runtime.Probabilities)),
            (MlNet, Widen(mlnet.Logits), Widen(mlnet.Probabilities)),
            // The from-scratch network stops at the logits (its loss takes them whole); its probabilities are their softmax.
            (Scratch, scratchLogits, Predictions.Probabilities(scratchLogits)),
            (Twin, twinLogits, twinProbabilities),
        };

        var truth = new ReferenceNetwork(spec, name => Array.ConvertAll(float32[name], v => (double)v));
        var logitMeters = sides.Select(s => new TruthMeter(s.Name)).ToArray();
        var probabilityMeters = sides.Select(s => new TruthMeter(s.Name)).ToArray();
        var flips = sides.Select(_ => new List<DeployedFlip>()).ToArray();
        var flipped = new int[sides.Length];
        int pixels = spec.Input.Size;
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var pass = truth.Forward(Widen(images.AsSpan(start * pixels, n * pixels)), n, null);
            var probabilities = truth.Probabilities(pass);
            for (int s = 0; s < sides.Length; s++)
            {
                logitMeters[s].Add(sides[s].Logits.AsSpan(start * classes, n * classes), pass.Logits, Dtype.Float32, start * classes);
                probabilityMeters[s].Add(sides[s].Probabilities.AsSpan(start * classes, n * classes), probabilities, Dtype.Float32, start * classes);
                flipped[s] += Flips(sides[s].Logits.AsSpan(start * classes, n * classes), pass.Logits, start, flips[s]);
            }
        }
        long[] shape = [count, classes];
        const string source = "float64 reference from the float32 weights and images";
        var checks = new List<TriagedCheck>
        {
            new("deployed", "logits", Dtype.Float32, $"test set ({count})", shape, source, "rounding bound", [.. logitMeters.Select(m => m.Result())]),
            new("deployed", "probabilities", Dtype.Float32, $"test set ({count})", shape, source, "rounding bound", [.. probabilityMeters.Select(m => m.Result())]),
        };
        var agreements = sides.Select((s, i) => new DeployedAgreement(s.Name, count, flipped[i], flips[i])).ToList();
        var accuracies = sides.Select(s => new DeployedAccuracy(s.Name, Predictions.CountCorrect(s.Logits, labels), count)).ToList();
        var mlnetRun = new TrainingRun(MlNet, [], labels, Predictions.ArgMax(sides[1].Logits), sides[1].Probabilities);
        string arch = file.Metadata.GetValueOrDefault(OnnxExporter.ArchKey) ?? spec.DisplayName;
        return new DeployedModel(arch, spec.Text, weights, file.Bytes.Length, file.Opset, file.IrVersion, file.Nodes,
            spec.ParameterCount, count, checks, agreements, accuracies, mlnetRun);
    }

    /// <summary>
    /// Images of a chunk whose first-maximum class differs from the truth's; returns how many. A flip is explained when the
    /// truth's lead of its class over the implementation's is within the two logits' rounding bounds together.
    /// </summary>
    static int Flips(ReadOnlySpan<double> logits, Carried truth, int firstImage, List<DeployedFlip> kept)
    {
        const int classes = ArchitectureSpec.Classes;
        int[] mine = Predictions.ArgMax(logits.ToArray()), truths = Predictions.ArgMax(truth.Value);
        int flipped = 0;
        for (int i = 0; i < mine.Length; i++)
        {
            if (mine[i] == truths[i]) continue;
            flipped++;
            int a = i * classes + truths[i], b = i * classes + mine[i];
            double margin = truth.Value[a] - truth.Value[b];
            bool explained = margin <= RoundingBound.Of(truth, a, Dtype.Float32) + RoundingBound.Of(truth, b, Dtype.Float32);
            if (kept.Count < FlipsKept || !explained) kept.Add(new DeployedFlip(firstImage + i, mine[i], truths[i], margin, explained));
        }
        return flipped;
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

    static double[] Widen(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < result.Length; i++) result[i] = values[i];
        return result;
    }
}
