using System.Numerics;

namespace CnnParity.Core.Engines.Layers;

// The stride-1 input gradient of Conv2d, split into bands of input rows (see Conv2d.cs).
internal sealed unsafe partial class Conv2d<T>
{
    /// <summary>
    /// Input rows First..Last of a stride-1 convolution whose input gradient takes the same kernel rows KyLo..KyHi (the
    /// rows for which the output row i + P - ky exists): the terms (o, ky, kx) over those rows in (o, ky, kx) order, their
    /// windows into the output gradient padded by K-1-P, and the weights rearranged to match (taken at each pass).
    /// </summary>
    private sealed class Band
    {
        private Band(int first, int last, int kyLo, int kyHi, int outChannels, int inChannels, int k, int hd, int wd)
        {
            (First, Last) = (first, last);
            Terms = outChannels * (kyHi - kyLo + 1) * k;
            Windows = PinnedArray.Allocate<nint>(Math.Max(Terms, 1));
            int t = 0;
            for (int o = 0; o < outChannels; o++)
                for (int ky = kyLo; ky <= kyHi; ky++)
                    for (int kx = 0; kx < k; kx++)
                        Windows[t++] = o * hd * wd + (k - 1 - ky) * wd + (k - 1 - kx);
            WeightsOf = new int[inChannels * Terms];
            for (int c = 0, at = 0; c < inChannels; c++)
                for (int o = 0; o < outChannels; o++)
                    for (int ky = kyLo; ky <= kyHi; ky++)
                        for (int kx = 0; kx < k; kx++)
                            WeightsOf[at++] = ((o * inChannels + c) * k + ky) * k + kx;
        }

        public int First { get; }

        public int Last { get; }

        /// <summary>Terms of each sum: O · (KyHi - KyLo + 1) · K.</summary>
        public int Terms { get; }

        public nint[] Windows { get; }

        /// <summary>For each (c, term): where its weight is in PyTorch's (O, C, K, K) layout.</summary>
        private int[] WeightsOf { get; }

        public T[] Weights { get; private set; } = [];

        /// <summary>Rearranges this pass's weights as (C, terms).</summary>
        public void TakeWeights(T[] w)
        {
            if (Weights.Length == 0)
            {
                Weights = PinnedArray.Allocate<T>(Math.Max(WeightsOf.Length, 1));
            }
            for (int i = 0; i < WeightsOf.Length; i++)
            {
                Weights[i] = w[WeightsOf[i]];
            }
        }

        /// <summary>The bands of an input of <paramref name="h"/> rows (stride 1, P &lt;= K-1).</summary>
        public static Band[] Split(int h, int ho, int k, int p, int outChannels, int inChannels, int hd, int wd)
        {
            var bands = new List<Band>();
            for (int i = 0; i < h;)
            {
                (int lo, int hi) = Reach(i);
                int last = i;
                while (last + 1 < h && Reach(last + 1) == (lo, hi))
                {
                    last++;
                }
                bands.Add(new Band(i, last, lo, hi, outChannels, inChannels, k, hd, wd));
                i = last + 1;
            }
            return [.. bands];

            (int, int) Reach(int i) => (Math.Max(0, i + p - ho + 1), Math.Min(k - 1, i + p));
        }
    }
}
