using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// The tensors of one training batch on the fast path (<see cref="FastNetwork"/>), allocated once and reused, so a
/// batch allocates nothing. The names and layouts are <see cref="BatchState"/>'s (row-major, hidden unit
/// <c>position*K + k</c>); the dropout mask is kept as bytes. <see cref="FastNetwork.Export"/> copies them into a
/// <see cref="BatchState"/> for comparison with the faithful path.
/// <para>
/// What is stored: always <see cref="Layer1"/>, the logits, <see cref="Layer2"/>, the deltas at the rows the
/// update reads, <see cref="WeightsUpdate"/> and <see cref="KernelsUpdate"/>. With <see cref="AllTensors"/> also
/// <c>kernel_output</c>, <c>tanh</c> and <c>layer_1_delta</c> at every row, so that every tensor can be checked.
/// </para>
/// </summary>
public sealed unsafe class FastBatch
{
    public FastBatch(ScratchConfig config, int batchSize)
    {
        config.Validate();
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize));
        }
        Config = config;
        BatchSize = batchSize;
        int hidden = config.Hidden, labels = ArchitectureSpec.Classes;
        Layer0 = Pinned<double>(batchSize * ScratchConfig.Pixels);
        Mask = Pinned<byte>(batchSize * hidden);
        Positions = Pinned<int>(batchSize * config.Positions);
        Counts = Pinned<int>(batchSize);
        FullCounts = Pinned<int>(batchSize);
        FullCounts.AsSpan().Fill(config.Positions);
        ImagesByPosition = Pinned<int>(batchSize * config.Positions);
        ImageStarts = Pinned<int>(config.Positions + 1);
        AllImages = Pinned<int>(batchSize);
        for (int n = 0; n < batchSize; n++)
        {
            AllImages[n] = n;
        }
        KernelOutput = Pinned<double>(batchSize * hidden);
        Layer1Tanh = Pinned<double>(batchSize * hidden);
        Layer1 = Pinned<double>(batchSize * hidden);
        Logits = Pinned<double>(batchSize * labels);
        Layer2 = Pinned<double>(batchSize * labels);
        Layer2Delta = Pinned<double>(batchSize * labels);
        Layer1Delta = Pinned<double>(batchSize * hidden);
        WeightsUpdate = Pinned<double>(hidden * labels);
        KernelsUpdate = Pinned<double>(ScratchConfig.KernelArea * config.NumKernels);
        Gradients = new CorrectedGradients(config, batchSize);
    }

    public ScratchConfig Config { get; }

    public int BatchSize { get; }

    /// <summary>
    /// Keep every tensor (kernel_output, tanh, and layer_1_delta at every row), for <see cref="FastNetwork.Export"/>;
    /// costs memory traffic, changes no number.
    /// </summary>
    public bool AllTensors { get; set; }

    /// <summary><c>layer_0</c>: B × 784.</summary>
    public double[] Layer0 { get; }

    /// <summary><c>dropout_mask</c>, 0 or 1 per hidden unit: B × hidden.</summary>
    public byte[] Mask { get; }

    /// <summary>Per image, the positions the forward pass computed (increasing): B × positions, <see cref="Counts"/> used.</summary>
    internal int[] Positions { get; }

    internal int[] Counts { get; }

    /// <summary>Every image's position count when all positions are listed.</summary>
    internal int[] FullCounts { get; }

    /// <summary>
    /// <see cref="Positions"/> turned around: for each position, the images that list it, in increasing order
    /// (those of position p at <c>[ImageStarts[p], ImageStarts[p+1])</c>). Made by <see cref="IndexImages"/>.
    /// </summary>
    internal int[] ImagesByPosition { get; }

    internal int[] ImageStarts { get; }

    /// <summary>0..B-1.</summary>
    internal int[] AllImages { get; }

    /// <summary>Fills <see cref="ImagesByPosition"/> from the position lists of the last forward pass.</summary>
    internal void IndexImages()
    {
        int positions = Config.Positions;
        int[] starts = ImageStarts;
        Array.Clear(starts);
        for (int n = 0; n < BatchSize; n++)
        {
            for (int q = 0, count = Counts[n]; q < count; q++)
            {
                starts[Positions[n * positions + q] + 1]++;
            }
        }
        for (int p = 0; p < positions; p++)
        {
            starts[p + 1] += starts[p];
        }
        // Fill position by position in image order, using a running cursor per position (the starts shifted by one).
        for (int n = 0; n < BatchSize; n++)
        {
            for (int q = 0, count = Counts[n]; q < count; q++)
            {
                int p = Positions[n * positions + q];
                ImagesByPosition[starts[p]++] = n;
            }
        }
        for (int p = positions; p > 0; p--)
        {
            starts[p] = starts[p - 1];
        }
        starts[0] = 0;
    }

    /// <summary><c>kernel_output</c> (with <see cref="AllTensors"/>): B × hidden.</summary>
    public double[] KernelOutput { get; }

    /// <summary><c>tanh(kernel_output)</c> before dropout (with <see cref="AllTensors"/> or in corrected mode): B × hidden.</summary>
    public double[] Layer1Tanh { get; }

    /// <summary>
    /// <c>layer_1</c> after dropout: B × hidden. The units of positions whose section is all zero (+0) are written only
    /// when <see cref="Layer1Whole"/>; otherwise they hold stale values that nothing reads.
    /// </summary>
    public double[] Layer1 { get; }

    /// <summary>Whether the last forward pass wrote every unit of <see cref="Layer1"/>, zeros included.</summary>
    internal bool Layer1Whole { get; set; }

    /// <summary>Writes +0 to the units of every position the last forward pass did not list.</summary>
    internal void ZeroUnlisted(double[] tensor)
    {
        int positions = Config.Positions, kc = Config.NumKernels;
        for (int n = 0; n < BatchSize; n++)
        {
            Span<double> row = tensor.AsSpan(n * Config.Hidden, Config.Hidden);
            int next = 0;
            for (int q = 0, count = Counts[n]; q <= count; q++)
            {
                int p = q < count ? Positions[n * positions + q] : positions;
                row[(next * kc)..(p * kc)].Clear();
                next = p + 1;
            }
        }
        if (tensor == Layer1)
        {
            Layer1Whole = true;
        }
    }

    /// <summary><c>layer_1.dot(weights_1_2)</c>: B × 10.</summary>
    public double[] Logits { get; }

    /// <summary><c>softmax(logits)</c>: B × 10.</summary>
    public double[] Layer2 { get; }

    /// <summary>Book rule: <c>(labels - layer_2) / (B·B)</c>: B × 10.</summary>
    public double[] Layer2Delta { get; }

    /// <summary>
    /// Book rule: <c>layer_1_delta</c>, B × hidden; at rows whose section is all zero only with <see cref="AllTensors"/>
    /// (no sum reads them: those rows add ±0 to <c>k_update</c>).
    /// </summary>
    public double[] Layer1Delta { get; }

    /// <summary>Book rule: <c>alpha * layer_1.T.dot(layer_2_delta)</c>: hidden × 10.</summary>
    public double[] WeightsUpdate { get; }

    /// <summary>Book rule: <c>flattened_input.T.dot(layer_1_delta)</c>: 9 × K.</summary>
    public double[] KernelsUpdate { get; }

    /// <summary>Corrected mode: the gradients of the last <see cref="FastNetwork.CorrectedBackward"/> (reused each batch).</summary>
    public CorrectedGradients Gradients { get; }

    internal static T[] Pinned<T>(int length) where T : unmanaged => GC.AllocateArray<T>(length, pinned: true);

    /// <summary>The address of a pinned array (one made by <see cref="Pinned{T}"/>), stable for its lifetime.</summary>
    internal static T* Address<T>(T[] pinned) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
