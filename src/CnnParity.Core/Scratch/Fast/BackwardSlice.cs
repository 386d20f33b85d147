using CnnParity.Core.Architecture;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// The backward pass through <c>weights_1_2</c> for one slice of positions (hidden units
/// <c>[first*K, end*K)</c>), over the whole batch: the deltas that flow back (per image and unit, a sum over the
/// 10 classes) and the weights' own product <c>layer_1.T · delta</c> (per unit and class, a sum over the images).
/// Slices are independent, so threads take one each.
/// <para>
/// The delta sums run image by image over the image's listed positions (those with a nonzero section, unless every
/// row is asked for), reading the slice's weights transposed (10 × hidden, made at the start from the weights before
/// any update) so that four consecutive units are one vector. The product runs position by position over the images
/// whose section there is nonzero (an inverted index of the same lists, in image order): four units' ten sums stay in
/// registers. Every sum starts at 0.0 and adds rounded products one by one in NumPy's order: no FMA, no reordering.
/// A vector holds consecutive units (eight with AVX-512, else four), one sum per lane.
/// </para>
/// </summary>
internal static unsafe class BackwardSlice
{
    private const int L = ArchitectureSpec.Classes;

    /// <summary>Pointers and sizes shared by every slice of one backward pass.</summary>
    public struct Pass
    {
        public double* Weights;       // hidden × 10, updated in place by the book rule
        public double* WeightsT;      // 10 × hidden, workspace: the transposed weights of each slice
        public double* Layer1;        // B × hidden, post-dropout
        public double* Layer1Tanh;    // B × hidden, pre-dropout (corrected mode)
        public byte* Mask;            // B × hidden, 0/1
        public int* Lists;            // B × positions: each image's positions with a nonzero section (or all)
        public int* Counts;           // B
        public int* All;              // 0..positions-1
        public int* Images;           // per position, the images whose section there is nonzero (increasing)
        public int* ImageStarts;      // positions + 1 offsets into Images
        public int* AllImages;        // 0..B-1
        public double* Delta;         // B × 10: layer_2_delta (book) or dlogits (corrected)
        public double* Layer1Delta;   // B × hidden: layer_1_delta (book) or dkernel_output (corrected)
        public double* DLayer1;       // B × hidden (corrected)
        public double* Product;       // hidden × 10: layer_1.T · delta (book: times alpha, then added to the weights)
        public int Batch, Hidden, NumKernels, Positions;
        public double Alpha;
        public bool Corrected;        // true gradients instead of the book rule
        public bool AllRows;          // deltas at every position, not only the listed ones
        public bool AllTerms;         // the product over every position (a delta is not finite: ±0 terms count)
    }

    /// <summary>Runs the slice of positions [<paramref name="first"/>, <paramref name="end"/>) with vectors of <typeparamref name="TLanes"/>.</summary>
    public static void Run<TLanes>(in Pass x, int first, int end) where TLanes : struct, ILanes<TLanes>
    {
        int kc = x.NumKernels, hidden = x.Hidden;
        int h0 = first * kc, h1 = end * kc;
        for (int h = h0; h < h1; h++)
        {
            for (int j = 0; j < L; j++)
            {
                x.WeightsT[j * hidden + h] = x.Weights[h * L + j];
            }
        }
        for (int n = 0; n < x.Batch; n++)
        {
            if (x.AllRows)
            {
                Deltas<TLanes>(x, n, x.All + first, end - first);
            }
            else
            {
                int* listed = x.Lists + n * x.Positions;
                int count = x.Counts[n];
                int from = LowerBound(listed, count, first), to = LowerBound(listed, count, end);
                Deltas<TLanes>(x, n, listed + from, to - from);
            }
        }
        // Units of a position in groups of TLanes.Count, then (after groups of eight) of four, then one at a time.
        int wide = kc / TLanes.Count * TLanes.Count, four = wide + (kc - wide) / 4 * 4;
        for (int p = first; p < end; p++)
        {
            // The images that add anything at this position: all with a nonzero section (or, when a delta is not
            // finite, every image, since then ±0 terms count).
            int* images = x.AllTerms ? x.AllImages : x.Images + x.ImageStarts[p];
            int count = x.AllTerms ? x.Batch : x.ImageStarts[p + 1] - x.ImageStarts[p];
            for (int k = 0; k < wide; k += TLanes.Count)
            {
                Product<TLanes>(x, p * kc + k, images, count);
            }
            for (int k = wide; k < four; k += 4)
            {
                Product<Lanes4>(x, p * kc + k, images, count);
            }
            for (int h = p * kc + four; h < (p + 1) * kc; h++)
            {
                ProductOne(x, h, images, count);
            }
        }
        if (!x.Corrected)
        {
            // weights_1_2 += alpha * layer_1.T.dot(layer_2_delta), element by element.
            TLanes alpha = TLanes.Broadcast(x.Alpha);
            double* u = x.Product, w = x.Weights;
            int i = h0 * L, stop = h1 * L;
            for (; i <= stop - TLanes.Count; i += TLanes.Count)
            {
                TLanes update = alpha * TLanes.Load(u + i);
                update.Store(u + i);
                (TLanes.Load(w + i) + update).Store(w + i);
            }
            for (; i < stop; i++)
            {
                u[i] = x.Alpha * u[i];
                w[i] += u[i];
            }
        }
    }

    // First index whose position is >= value (the lists are increasing).
    private static int LowerBound(int* list, int count, int value)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (list[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    // Book: layer_1_delta = (Σ_j delta[j] · W[h, j]) * (1 - layer_1²) * mask.
    // Corrected: dlayer_1 = Σ_j dlogits[j] · W[h, j]; dkernel_output = dlayer_1 * (mask*2) * (1 - tanh²).
    private static void Deltas<TLanes>(in Pass x, int n, int* positions, int count) where TLanes : struct, ILanes<TLanes>
    {
        int kc = x.NumKernels, wide = kc / TLanes.Count * TLanes.Count, four = wide + (kc - wide) / 4 * 4;
        var d = new Broadcasts<TLanes>(x.Delta + n * L);
        var d4 = new Broadcasts<Lanes4>(x.Delta + n * L);
        for (int q = 0; q < count; q++)
        {
            int h0 = positions[q] * kc;
            for (int h = h0; h < h0 + wide; h += TLanes.Count)
            {
                DeltaGroup(x, n, h, d);
            }
            for (int h = h0 + wide; h < h0 + four; h += 4)
            {
                DeltaGroup(x, n, h, d4);
            }
            for (int h = h0 + four; h < h0 + kc; h++)
            {
                DeltaOne(x, n, h);
            }
        }
    }

    // The ten deltas of one image, each in every lane, made once per image rather than once per group of units.
    private readonly struct Broadcasts<TLanes>(double* d) where TLanes : struct, ILanes<TLanes>
    {
        public readonly TLanes D0 = TLanes.Broadcast(d[0]), D1 = TLanes.Broadcast(d[1]), D2 = TLanes.Broadcast(d[2]);
        public readonly TLanes D3 = TLanes.Broadcast(d[3]), D4 = TLanes.Broadcast(d[4]), D5 = TLanes.Broadcast(d[5]);
        public readonly TLanes D6 = TLanes.Broadcast(d[6]), D7 = TLanes.Broadcast(d[7]), D8 = TLanes.Broadcast(d[8]);
        public readonly TLanes D9 = TLanes.Broadcast(d[9]);
    }

    private static void DeltaGroup<TLanes>(in Pass x, int n, int h, in Broadcasts<TLanes> d) where TLanes : struct, ILanes<TLanes>
    {
        int hidden = x.Hidden;
        double* w = x.WeightsT + h;
        TLanes s = TLanes.Zero + d.D0 * TLanes.Load(w);
        s += d.D1 * TLanes.Load(w + hidden);
        s += d.D2 * TLanes.Load(w + 2 * hidden);
        s += d.D3 * TLanes.Load(w + 3 * hidden);
        s += d.D4 * TLanes.Load(w + 4 * hidden);
        s += d.D5 * TLanes.Load(w + 5 * hidden);
        s += d.D6 * TLanes.Load(w + 6 * hidden);
        s += d.D7 * TLanes.Load(w + 7 * hidden);
        s += d.D8 * TLanes.Load(w + 8 * hidden);
        s += d.D9 * TLanes.Load(w + 9 * hidden);
        int at = n * hidden + h;
        TLanes mask = TLanes.Mask(x.Mask + at), one = TLanes.Broadcast(1.0);
        if (x.Corrected)
        {
            s.Store(x.DLayer1 + at);
            TLanes t = TLanes.Load(x.Layer1Tanh + at);
            (s * (mask * TLanes.Broadcast(2.0)) * (one - t * t)).Store(x.Layer1Delta + at);
        }
        else
        {
            TLanes y = TLanes.Load(x.Layer1 + at);
            TLanes delta = s * (one - y * y);
            (delta * mask).Store(x.Layer1Delta + at);
        }
    }

    private static void DeltaOne(in Pass x, int n, int h)
    {
        double* d = x.Delta + n * L;
        double s = 0.0;
        for (int j = 0; j < L; j++)
        {
            s += d[j] * x.WeightsT[j * x.Hidden + h];
        }
        int at = n * x.Hidden + h;
        if (x.Corrected)
        {
            x.DLayer1[at] = s;
            double t = x.Layer1Tanh[at];
            x.Layer1Delta[at] = s * ((double)x.Mask[at] * 2) * (1 - t * t);
        }
        else
        {
            double y = x.Layer1[at];
            double delta = s * (1 - y * y);
            x.Layer1Delta[at] = delta * x.Mask[at];
        }
    }

    // Product[h.., j] = Σ_n layer_1[n, h..] · delta[n, j] over the listed images, in order: ten sums of TLanes.Count
    // units in registers, written out row by row at the end.
    private static void Product<TLanes>(in Pass x, int h, int* images, int count) where TLanes : struct, ILanes<TLanes>
    {
        TLanes a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        for (int i = 0; i < count; i++)
        {
            int n = images[i];
            TLanes v = TLanes.Load(x.Layer1 + n * x.Hidden + h);
            double* d = x.Delta + n * L;
            a0 += v * TLanes.Broadcast(d[0]);
            a1 += v * TLanes.Broadcast(d[1]);
            a2 += v * TLanes.Broadcast(d[2]);
            a3 += v * TLanes.Broadcast(d[3]);
            a4 += v * TLanes.Broadcast(d[4]);
            a5 += v * TLanes.Broadcast(d[5]);
            a6 += v * TLanes.Broadcast(d[6]);
            a7 += v * TLanes.Broadcast(d[7]);
            a8 += v * TLanes.Broadcast(d[8]);
            a9 += v * TLanes.Broadcast(d[9]);
        }
        double* o = x.Product + h * L;
        Scatter(a0, o + 0); Scatter(a1, o + 1); Scatter(a2, o + 2); Scatter(a3, o + 3); Scatter(a4, o + 4);
        Scatter(a5, o + 5); Scatter(a6, o + 6); Scatter(a7, o + 7); Scatter(a8, o + 8); Scatter(a9, o + 9);
    }

    private static void ProductOne(in Pass x, int h, int* images, int count)
    {
        for (int j = 0; j < L; j++)
        {
            double s = 0.0;
            for (int i = 0; i < count; i++)
            {
                int n = images[i];
                s += x.Layer1[n * x.Hidden + h] * x.Delta[n * L + j];
            }
            x.Product[h * L + j] = s;
        }
    }

    // Lane i of a class's column goes to row h+i of the row-major hidden × 10 output.
    private static void Scatter<TLanes>(TLanes column, double* at) where TLanes : struct, ILanes<TLanes>
    {
        for (int i = 0; i < TLanes.Count; i++)
        {
            at[i * L] = column[i];
        }
    }
}
