using CnnParity.Core;
using CnnParity.Core.Architecture;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// The doctor's lists of cases, as data: the ops CnnParity's TorchSharp side calls, over the shapes users meet
/// (kernels 1, 2, 3, 5, 7 and the whole input, strides 1 to 3, padding, channels up to 2048, batches 1 to 128, sides 1
/// to 64), float32 and float64, forward and both gradients. Each group runs in a worker process of its own. Issue 20's
/// two known-bad shapes are in every list: the whole-input convolution (x 128x1xKxK, w 2x1xKxK, K = 10..28) and the
/// 1x1 stride-2 backward (512→1024 at 8x8, batch 2; 1024→2048 at 4x4).
/// </summary>
public static class DoctorSweep
{
    static readonly Dtype[] Both = [Dtype.Float32, Dtype.Float64];

    /// <summary>The most multiply-adds a convolution case may cost the float64 truth (the full sweep's time budget).</summary>
    public const long MaxMultiplyAdds = 60_000_000;

    /// <summary>A short sweep that CI can afford: every op, a few shapes each, the known-bad shapes.</summary>
    public static IReadOnlyList<DoctorCase> Quick() =>
    [
        .. KnownBad(wholeInputSides: [10, 16, 28]),
        .. Conv("conv2d", [
            (8, 1, 28, new Conv2dSpec(6, 5, 1, 2)), (8, 6, 14, new Conv2dSpec(16, 5)), (4, 8, 16, new Conv2dSpec(16, 3, 2, 1)),
            (2, 64, 8, new Conv2dSpec(128, 1, 2)), (1, 3, 1, new Conv2dSpec(8, 1)), (2, 4, 9, new Conv2dSpec(8, 7, 3, 3)),
        ]),
        .. Pools("pooling", [(8, 6, 28, PoolKind.Max, 2, 2), (4, 16, 13, PoolKind.Max, 3, 2), (8, 6, 28, PoolKind.Average, 2, 2), (4, 16, 13, PoolKind.Average, 3, 2)]),
        .. Linear("linear", [(128, 784, 120), (8, 400, 84), (128, 84, 10)]),
        .. Elementwise("elementwise", [ActivationShape.Image(6, 28, 28)], batch: 32),
        .. Losses("losses", [(128, 10), (1, 10)]),
    ];

    /// <summary>The whole sweep (minutes on two cores).</summary>
    public static IReadOnlyList<DoctorCase> Full() => Distinct(
    [
        .. KnownBad(wholeInputSides: [.. Enumerable.Range(10, 19)]),
        .. WholeInput(),
        .. Conv("conv2d", [.. ConvGrid()]),
        .. Pools("pooling", [.. PoolGrid()]),
        .. Linear("linear", [(1, 784, 10), (128, 784, 120), (128, 120, 84), (128, 84, 10), (2, 2048, 1000), (32, 4096, 10), (64, 1, 1)]),
        .. Elementwise("elementwise", [ActivationShape.Image(6, 28, 28), ActivationShape.Image(2048, 4, 4), ActivationShape.Vector(120)], batch: 128),
        .. Elementwise("elementwise", [ActivationShape.Vector(10), ActivationShape.Image(1, 64, 64)], batch: 1),
        .. Losses("losses", [(128, 10), (1, 10), (2, 2), (64, 1000), (128, 1)]),
    ]);

    // A shape in two lists (the known-bad ones are in the convolution grid too) is run once, in its first group.
    static List<DoctorCase> Distinct(IEnumerable<DoctorCase> cases) => [.. cases.DistinctBy(c => c.Id)];

    /// <summary>
    /// The shapes a run of <paramref name="spec"/> gives LibTorch: each layer's op at its input shape, forward at every
    /// batch size the run's forward passes use, both gradients at its training batch sizes (no input gradient for the
    /// first layer: the images do not require one), and the loss; in each dtype given.
    /// </summary>
    public static IReadOnlyList<DoctorCase> ForSpec(ArchitectureSpec spec, IEnumerable<int> forwardBatches, IEnumerable<int> trainingBatches, IEnumerable<Dtype> dtypes)
    {
        int[] training = [.. trainingBatches.Where(b => b > 0).Distinct().Order()];
        int[] forward = [.. forwardBatches.Concat(training).Where(b => b > 0).Distinct().Order()];
        var cases = new List<DoctorCase>();
        foreach (var dtype in dtypes.Distinct())
        {
            foreach (var layer in spec.Layers)
            {
                if (Op(layer.Spec) is not TorchOp op)
                    continue;
                string group = $"{spec.DisplayName} {dtype.ShortName()}";
                LayerSpec? given = op is TorchOp.Tanh or TorchOp.Relu or TorchOp.Relu6 or TorchOp.Sigmoid ? null : layer.Spec;
                foreach (int b in forward)
                    cases.Add(new DoctorCase(op, dtype, DoctorCheck.Forward, b, layer.Input, given, group));
                foreach (int b in training)
                {
                    if (layer.Position > 1)
                        cases.Add(new DoctorCase(op, dtype, DoctorCheck.InputGradient, b, layer.Input, given, group));
                    if (op.HasWeights())
                        cases.Add(new DoctorCase(op, dtype, DoctorCheck.WeightGradient, b, layer.Input, given, group));
                }
            }
            var logits = ActivationShape.Vector(spec.Layers[^1].Output.Size);
            foreach (int b in training)
            {
                cases.Add(new DoctorCase(TorchOp.CrossEntropy, dtype, DoctorCheck.Forward, b, logits, null, $"{spec.DisplayName} {dtype.ShortName()}"));
                cases.Add(new DoctorCase(TorchOp.CrossEntropy, dtype, DoctorCheck.InputGradient, b, logits, null, $"{spec.DisplayName} {dtype.ShortName()}"));
            }
        }
        return cases;
    }

    /// <summary>
    /// The op LibTorch runs for a spec layer; null for dropout, flatten and crop (a multiply, a view, a slice), and for gap
    /// (a mean over the plane, not yet among the doctor's ops).
    /// </summary>
    public static TorchOp? Op(LayerSpec layer) => layer switch
    {
        Conv2dSpec => TorchOp.Conv2d,
        Pool2dSpec { Kind: PoolKind.Max } => TorchOp.MaxPool2d,
        Pool2dSpec => TorchOp.AvgPool2d,
        DenseSpec => TorchOp.Linear,
        ActivationSpec { Kind: ActivationKind.Tanh } => TorchOp.Tanh,
        ActivationSpec { Kind: ActivationKind.ReLU } => TorchOp.Relu,
        ActivationSpec { Kind: ActivationKind.ReLU6 } => TorchOp.Relu6,
        ActivationSpec { Kind: ActivationKind.Sigmoid } => TorchOp.Sigmoid,
        _ => null,
    };

    // Issue 20: the whole-input convolution found wrong in float32 (kernel sides 10 to 28, batch 128, 2 outputs) and
    // the 1x1 stride-2 backward that raised SIGFPE (512→1024 at 8x8 and 1024→2048 at 4x4, batch 2).
    static IEnumerable<DoctorCase> KnownBad(int[] wholeInputSides)
    {
        foreach (var dtype in Both)
        {
            foreach (int side in wholeInputSides)
                foreach (var check in new[] { DoctorCheck.Forward, DoctorCheck.InputGradient, DoctorCheck.WeightGradient })
                    yield return new DoctorCase(TorchOp.Conv2d, dtype, check, 128, ActivationShape.Image(1, side, side), new Conv2dSpec(2, side), "issue 20: whole input");
            foreach (var (channels, side) in new[] { (512, 8), (1024, 4) })
                foreach (var check in new[] { DoctorCheck.Forward, DoctorCheck.InputGradient, DoctorCheck.WeightGradient })
                    yield return new DoctorCase(TorchOp.Conv2d, dtype, check, 2, ActivationShape.Image(channels, side, side), new Conv2dSpec(2 * channels, 1, 2), "issue 20: 1x1 stride 2");
        }
    }

    // More whole-input convolutions: other batches and channel counts (a 1x1 output, the kernel as large as the image).
    static IEnumerable<DoctorCase> WholeInput() => Conv("conv2d: whole input", [
        (2, 1, 28, new Conv2dSpec(2, 28)), (1, 1, 28, new Conv2dSpec(2, 28)), (8, 16, 7, new Conv2dSpec(32, 7)), (32, 3, 12, new Conv2dSpec(10, 12)),
        (128, 1, 5, new Conv2dSpec(2, 5)), (4, 64, 4, new Conv2dSpec(128, 4)), (128, 1, 40, new Conv2dSpec(2, 40)), (2, 1, 64, new Conv2dSpec(4, 64)),
    ]);

    // Kernels 1, 2, 3, 5, 7 x strides 1-3 x no padding and k/2, over shapes from one channel to 2048; the truth's cost capped.
    static IEnumerable<(int Batch, int Channels, int Side, Conv2dSpec Conv)> ConvGrid()
    {
        (int Batch, int Channels, int Side, int Outputs)[] shapes =
        [
            (1, 1, 28, 8), (128, 1, 28, 6), (8, 6, 14, 16), (32, 16, 16, 32), (8, 64, 16, 128), (2, 256, 8, 512),
            (2, 512, 8, 1024), (2, 1024, 4, 2048), (4, 3, 64, 16), (16, 8, 1, 16), (2, 32, 3, 64),
        ];
        foreach (var (batch, channels, side, outputs) in shapes)
            foreach (int k in new[] { 1, 2, 3, 5, 7 })
                foreach (int s in new[] { 1, 2, 3 })
                    foreach (int p in new[] { 0, k / 2 }.Distinct())
                    {
                        if (k > side + 2 * p) continue;
                        var conv = new Conv2dSpec(outputs, k, s, p);
                        var output = conv.OutputShape(ActivationShape.Image(channels, side, side));
                        if ((long)batch * output.Size * channels * k * k <= MaxMultiplyAdds)
                            yield return (batch, channels, side, conv);
                    }
    }

    static IEnumerable<(int Batch, int Channels, int Side, PoolKind Kind, int Kernel, int Stride)> PoolGrid()
    {
        foreach (var kind in new[] { PoolKind.Max, PoolKind.Average })
            foreach (var (batch, channels, side) in new[] { (8, 6, 28), (32, 16, 13), (2, 512, 8), (1, 1, 64), (128, 6, 2) })
                foreach (int k in new[] { 2, 3 })
                    foreach (int s in new[] { 1, 2, 3 })
                        if (k <= side)
                            yield return (batch, channels, side, kind, k, s);
    }

    static IEnumerable<DoctorCase> Conv(string groupName, IEnumerable<(int Batch, int Channels, int Side, Conv2dSpec Conv)> shapes) =>
        from dtype in Both
        from shape in shapes
        from check in new[] { DoctorCheck.Forward, DoctorCheck.InputGradient, DoctorCheck.WeightGradient }
        select new DoctorCase(TorchOp.Conv2d, dtype, check, shape.Batch, ActivationShape.Image(shape.Channels, shape.Side, shape.Side), shape.Conv, $"{groupName} {dtype.ShortName()}");

    static IEnumerable<DoctorCase> Pools(string groupName, IEnumerable<(int Batch, int Channels, int Side, PoolKind Kind, int Kernel, int Stride)> shapes) =>
        from dtype in Both
        from shape in shapes
        from check in new[] { DoctorCheck.Forward, DoctorCheck.InputGradient }
        select new DoctorCase(shape.Kind == PoolKind.Max ? TorchOp.MaxPool2d : TorchOp.AvgPool2d, dtype, check, shape.Batch,
            ActivationShape.Image(shape.Channels, shape.Side, shape.Side), new Pool2dSpec(shape.Kind, shape.Kernel, shape.Stride), groupName);

    static IEnumerable<DoctorCase> Linear(string groupName, IEnumerable<(int Batch, int Inputs, int Outputs)> shapes) =>
        from dtype in Both
        from shape in shapes
        from check in new[] { DoctorCheck.Forward, DoctorCheck.InputGradient, DoctorCheck.WeightGradient }
        select new DoctorCase(TorchOp.Linear, dtype, check, shape.Batch, ActivationShape.Vector(shape.Inputs), new DenseSpec(shape.Outputs), groupName);

    static IEnumerable<DoctorCase> Elementwise(string groupName, IEnumerable<ActivationShape> shapes, int batch) =>
        from dtype in Both
        from shape in shapes
        from op in new[] { TorchOp.Tanh, TorchOp.Relu, TorchOp.Sigmoid, TorchOp.Relu6 }
        from check in new[] { DoctorCheck.Forward, DoctorCheck.InputGradient }
        select new DoctorCase(op, dtype, check, batch, shape, null, groupName);

    static IEnumerable<DoctorCase> Losses(string groupName, IEnumerable<(int Batch, int Classes)> shapes) =>
        from dtype in Both
        from shape in shapes
        from op in new[] { TorchOp.LogSoftmax, TorchOp.CrossEntropy }
        from check in new[] { DoctorCheck.Forward, DoctorCheck.InputGradient }
        select new DoctorCase(op, dtype, check, shape.Batch, ActivationShape.Vector(shape.Classes), null, groupName);
}
