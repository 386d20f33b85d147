using System.Runtime.Intrinsics;
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

    /// <summary>Runs the slice of positions [<paramref name="first"/>, <paramref name="end"/>).</summary>
    public static void Run(in Pass x, int first, int end)
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
                Deltas(x, n, x.All + first, end - first);
            }
            else
            {
                int* listed = x.Lists + n * x.Positions;
                int count = x.Counts[n];
                int from = LowerBound(listed, count, first), to = LowerBound(listed, count, end);
                Deltas(x, n, listed + from, to - from);
            }
        }
        int k4 = kc & ~3;
        for (int p = first; p < end; p++)
        {
            // The images that add anything at this position: all with a nonzero section (or, when a delta is not
            // finite, every image, since then ±0 terms count).
            int* images = x.AllTerms ? x.AllImages : x.Images + x.ImageStarts[p];
            int count = x.AllTerms ? x.Batch : x.ImageStarts[p + 1] - x.ImageStarts[p];
            for (int k = 0; k < k4; k += 4)
            {
                Product(x, p * kc + k, images, count);
            }
            for (int h = p * kc + k4; h < (p + 1) * kc; h++)
            {
                ProductOne(x, h, images, count);
            }
        }
        if (!x.Corrected)
        {
            // weights_1_2 += alpha * layer_1.T.dot(layer_2_delta), element by element.
            Vector256<double> alpha = Vector256.Create(x.Alpha);
            double* u = x.Product, w = x.Weights;
            int i = h0 * L, stop = h1 * L;
            for (; i <= stop - 4; i += 4)
            {
                Vector256<double> update = alpha * Vector256.Load(u + i);
                Vector256.Store(update, u + i);
                Vector256.Store(Vector256.Load(w + i) + update, w + i);
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
    private static void Deltas(in Pass x, int n, int* positions, int count)
    {
        double* d = x.Delta + n * L;
        Vector256<double> d0 = Vector256.Create(d[0]), d1 = Vector256.Create(d[1]), d2 = Vector256.Create(d[2]);
        Vector256<double> d3 = Vector256.Create(d[3]), d4 = Vector256.Create(d[4]), d5 = Vector256.Create(d[5]);
        Vector256<double> d6 = Vector256.Create(d[6]), d7 = Vector256.Create(d[7]), d8 = Vector256.Create(d[8]);
        Vector256<double> d9 = Vector256.Create(d[9]);
        Vector256<double> one = Vector256.Create(1.0), two = Vector256.Create(2.0);
        int kc = x.NumKernels, k4 = kc & ~3, hidden = x.Hidden, row = n * hidden;
        double* wt = x.WeightsT;
        for (int q = 0; q < count; q++)
        {
            int h0 = positions[q] * kc;
            for (int h = h0; h < h0 + k4; h += 4)
            {
                double* w = wt + h;
                Vector256<double> s = Vector256<double>.Zero + d0 * Vector256.Load(w);
                s += d1 * Vector256.Load(w + hidden);
                s += d2 * Vector256.Load(w + 2 * hidden);
                s += d3 * Vector256.Load(w + 3 * hidden);
                s += d4 * Vector256.Load(w + 4 * hidden);
                s += d5 * Vector256.Load(w + 5 * hidden);
                s += d6 * Vector256.Load(w + 6 * hidden);
                s += d7 * Vector256.Load(w + 7 * hidden);
                s += d8 * Vector256.Load(w + 8 * hidden);
                s += d9 * Vector256.Load(w + 9 * hidden);
                int at = row + h;
                Vector256<double> mask = Dense.MaskValues(x.Mask + at);
                if (x.Corrected)
                {
                    Vector256.Store(s, x.DLayer1 + at);
                    Vector256<double> t = Vector256.Load(x.Layer1Tanh + at);
                    Vector256.Store(s * (mask * two) * (one - t * t), x.Layer1Delta + at);
                }
                else
                {
                    Vector256<double> y = Vector256.Load(x.Layer1 + at);
                    Vector256<double> delta = s * (one - y * y);
                    Vector256.Store(delta * mask, x.Layer1Delta + at);
                }
            }
            for (int h = h0 + k4; h < h0 + kc; h++)
            {
                double s = 0.0;
                for (int j = 0; j < L; j++)
                {
                    s += d[j] * wt[j * hidden + h];
                }
                int at = row + h;
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
        }
    }

    // Product[h..h+3, j] = Σ_n layer_1[n, h..h+3] · delta[n, j] over the listed images, in order: ten sums of four
    // units in registers, written out row by row at the end.
    private static void Product(in Pass x, int h, int* images, int count)
    {
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        for (int i = 0; i < count; i++)
        {
            int n = images[i];
            Vector256<double> v = Vector256.Load(x.Layer1 + n * x.Hidden + h);
            double* d = x.Delta + n * L;
            a0 += v * Vector256.Create(d[0]);
            a1 += v * Vector256.Create(d[1]);
            a2 += v * Vector256.Create(d[2]);
            a3 += v * Vector256.Create(d[3]);
            a4 += v * Vector256.Create(d[4]);
            a5 += v * Vector256.Create(d[5]);
            a6 += v * Vector256.Create(d[6]);
            a7 += v * Vector256.Create(d[7]);
            a8 += v * Vector256.Create(d[8]);
            a9 += v * Vector256.Create(d[9]);
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
    private static void Scatter(Vector256<double> column, double* at)
    {
        at[0] = column.GetElement(0);
        at[L] = column.GetElement(1);
        at[2 * L] = column.GetElement(2);
        at[3 * L] = column.GetElement(3);
    }
}
