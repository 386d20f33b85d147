using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Engines;

/// <summary>
/// Which training images one epoch's batches take: in file order, or <c>order = np.random.permutation(n)</c> drawn at the
/// top of the epoch (<see cref="SpecTrainerOptions.Shuffle"/>), batch i taking images <c>order[i*B : (i+1)*B]</c>. The
/// engine, its twin and their lockstep run take their batches through this one type, so all of them see the same images.
/// </summary>
public sealed class TrainingOrder
{
    private readonly int[]? _permutation;

    private TrainingOrder(int[]? permutation) => _permutation = permutation;

    /// <summary>Every epoch in file order (no draw).</summary>
    public static TrainingOrder FileOrder { get; } = new(null);

    /// <summary>
    /// The order of the next epoch: with <see cref="SpecTrainerOptions.Shuffle"/>, <c>permutation(TrainCount)</c> from
    /// <paramref name="random"/> (the run's one stream, where a NumPy loop would draw it); otherwise file order, drawing nothing.
    /// </summary>
    public static TrainingOrder ForEpoch(SpecTrainerOptions options, NumPyRandomState random) =>
        options.Shuffle ? new TrainingOrder(random.Permutation(options.TrainCount)) : FileOrder;

    /// <summary>Whether the images are taken through a permutation (otherwise each batch is a slice of the data).</summary>
    public bool IsShuffled => _permutation is not null;

    /// <summary>The training image at <paramref name="position"/> of the epoch.</summary>
    public int ImageAt(int position) => _permutation is null ? position : _permutation[position];

    /// <summary>
    /// Batch <paramref name="batch"/>'s pixels: a slice of the data in file order, else its images gathered into
    /// <paramref name="buffer"/> (at least <paramref name="size"/> × <paramref name="pixels"/> long).
    /// </summary>
    public ReadOnlySpan<double> Images(ScratchData data, int batch, int size, int pixels, double[] buffer)
    {
        if (_permutation is null)
        {
            return data.TrainImages.AsSpan(batch * size * pixels, size * pixels);
        }
        for (int k = 0; k < size; k++)
        {
            data.TrainImages.AsSpan(_permutation[batch * size + k] * pixels, pixels).CopyTo(buffer.AsSpan(k * pixels, pixels));
        }
        return buffer.AsSpan(0, size * pixels);
    }

    /// <summary>Batch <paramref name="batch"/>'s labels, as <see cref="Images"/> takes its pixels.</summary>
    public ReadOnlySpan<byte> Labels(ScratchData data, int batch, int size, byte[] buffer)
    {
        if (_permutation is null)
        {
            return data.TrainLabels.AsSpan(batch * size, size);
        }
        for (int k = 0; k < size; k++)
        {
            buffer[k] = data.TrainLabels[_permutation[batch * size + k]];
        }
        return buffer.AsSpan(0, size);
    }
}
