using CnnParity.Core.Architecture;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>Prepares one image for its logits: lists its positions and writes its layer_1 values there.</summary>
internal unsafe interface IImageSource
{
    /// <summary>Fills <paramref name="values"/> (K per listed position) and <paramref name="positions"/>; returns the count.</summary>
    int Prepare(int image, double* values, int* positions);
}

/// <summary>
/// The logits of a run of images, two at a time. Each image's sums are sequential chains (see
/// <see cref="ILogitSums{TSelf}"/>); two lanes, each working through its own half of the run, advance side by side
/// so that one chain's adds overlap the other's. When one lane's image ends, its logits are stored and the lane
/// takes its next image, so almost every position is paired. Which images share a step changes no sum.
/// </summary>
internal static unsafe class PairedLogits
{
    private const int L = ArchitectureSpec.Classes;

    /// <summary>Each lane's room for one image: values (positions × K) and its position list.</summary>
    public struct Buffers
    {
        public double* XValues;
        public int* XPositions;
        public double* YValues;
        public int* YPositions;
    }

    /// <summary>Logits (10 per image) of images [<paramref name="first"/>, <paramref name="end"/>).</summary>
    public static void Run<TSource, TSums>(ref TSource source, int first, int end, int kernelCount, double* weights, double* logits, Buffers buffers)
        where TSource : struct, IImageSource
        where TSums : struct, ILogitSums<TSums>
    {
        int mid = first + (end - first) / 2;
        var x = new Lane<TSums>(first, mid, buffers.XValues, buffers.XPositions);
        var y = new Lane<TSums>(mid, end, buffers.YValues, buffers.YPositions);
        x.Next(ref source, kernelCount, weights, logits, start: true);
        y.Next(ref source, kernelCount, weights, logits, start: true);
        while (x.Busy && y.Busy)
        {
            int step = Math.Min(x.Count - x.Done, y.Count - y.Done);
            TSums.AddPair(ref x.Sums, x.Values + x.Done * kernelCount, x.Positions + x.Done,
                          ref y.Sums, y.Values + y.Done * kernelCount, y.Positions + y.Done, step, kernelCount, weights);
            x.Done += step;
            y.Done += step;
            x.Next(ref source, kernelCount, weights, logits, start: false);
            y.Next(ref source, kernelCount, weights, logits, start: false);
        }
        x.Finish(ref source, kernelCount, weights, logits);
        y.Finish(ref source, kernelCount, weights, logits);
    }

    private struct Lane<TSums>(int image, int end, double* values, int* positions)
        where TSums : struct, ILogitSums<TSums>
    {
        public int Image = image;
        public readonly int End = end;
        public readonly double* Values = values;
        public readonly int* Positions = positions;
        public int Count;
        public int Done;
        public TSums Sums;

        public readonly bool Busy => Image < End;

        // When the current image is complete, stores its logits and prepares the next (skipping images with nothing to add).
        public void Next<TSource>(ref TSource source, int kernelCount, double* weights, double* logits, bool start)
            where TSource : struct, IImageSource
        {
            if (!start)
            {
                if (Done < Count)
                {
                    return;
                }
                Sums.Store(logits + Image * L);
                Image++;
            }
            while (Image < End)
            {
                Count = source.Prepare(Image, Values, Positions);
                Done = 0;
                Sums = default;
                if (Count > 0)
                {
                    return;
                }
                Sums.Store(logits + Image * L);
                Image++;
            }
        }

        // Runs the lane's remaining images alone.
        public void Finish<TSource>(ref TSource source, int kernelCount, double* weights, double* logits)
            where TSource : struct, IImageSource
        {
            while (Busy)
            {
                Sums.Add(Values + Done * kernelCount, Positions + Done, Count - Done, kernelCount, weights);
                Done = Count;
                Next(ref source, kernelCount, weights, logits, start: false);
            }
        }
    }
}
