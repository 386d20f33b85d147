namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// <c>k_update = flattened_input.T.dot(layer_1_delta)</c> (9 × K), vectorised across kernels only. Every output keeps NumPy's
/// sequential sum <c>s = 0.0; s += a*b; ...</c> (a rounded multiply, then a rounded add: no FMA) over the same
/// terms in the same order as <see cref="NumPy.NumPyDot"/>; only terms that are ±0 times a finite number may be
/// left out, because adding ±0 to a sum that started at +0.0 never changes its bits (see <see cref="Sections"/>).
/// </summary>
internal static unsafe class KernelsUpdate
{
    /// <summary>
    /// <c>k_update[l, k] = Σ_rows flattened_input[row, l] · layer_1_delta[row, k]</c> for the <c>TLanes.Count</c> kernels
    /// starting at <paramref name="k"/> (rows in order: image, then position), reading the pixels from the images. Only
    /// the rows listed per image are summed: the caller lists every row, or leaves out all-zero sections when every
    /// delta is finite.
    /// </summary>
    public static void Group<TLanes>(double* images, int grid, int batch, int* positions, int positionStride, int* counts,
                                             double* layer1Delta, int hidden, int kernelCount, int k, double* kernelsUpdate)
        where TLanes : struct, ILanes<TLanes>
    {
        const int side = ScratchConfig.ImageSide;
        int* offsets = Sections.PixelOffsets(grid);
        TLanes a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0;
        for (int n = 0; n < batch; n++)
        {
            double* image = images + n * ScratchConfig.Pixels;
            int* list = positions + n * positionStride;
            double* deltas = layer1Delta + n * hidden + k;
            for (int q = 0, count = counts[n]; q < count; q++)
            {
                int p = list[q];
                double* px = image + offsets[p];
                TLanes v = TLanes.Load(deltas + p * kernelCount);
                a0 += TLanes.Broadcast(px[0]) * v;
                a1 += TLanes.Broadcast(px[1]) * v;
                a2 += TLanes.Broadcast(px[2]) * v;
                a3 += TLanes.Broadcast(px[side]) * v;
                a4 += TLanes.Broadcast(px[side + 1]) * v;
                a5 += TLanes.Broadcast(px[side + 2]) * v;
                a6 += TLanes.Broadcast(px[2 * side]) * v;
                a7 += TLanes.Broadcast(px[2 * side + 1]) * v;
                a8 += TLanes.Broadcast(px[2 * side + 2]) * v;
            }
        }
        int kc = kernelCount;
        a0.Store(kernelsUpdate + k);
        a1.Store(kernelsUpdate + kc + k);
        a2.Store(kernelsUpdate + 2 * kc + k);
        a3.Store(kernelsUpdate + 3 * kc + k);
        a4.Store(kernelsUpdate + 4 * kc + k);
        a5.Store(kernelsUpdate + 5 * kc + k);
        a6.Store(kernelsUpdate + 6 * kc + k);
        a7.Store(kernelsUpdate + 7 * kc + k);
        a8.Store(kernelsUpdate + 8 * kc + k);
    }

    /// <summary>The same sum for one kernel <paramref name="k"/> (the kernels after the last multiple of 4).</summary>
    public static void One(double* images, int grid, int batch, int* positions, int positionStride, int* counts,
                                        double* layer1Delta, int hidden, int kernelCount, int k, double* kernelsUpdate)
    {
        const int side = ScratchConfig.ImageSide;
        int* offsets = Sections.PixelOffsets(grid);
        for (int l = 0; l < ScratchConfig.KernelArea; l++)
        {
            int offset = (l / 3) * side + l % 3;
            double s = 0.0;
            for (int n = 0; n < batch; n++)
            {
                double* image = images + n * ScratchConfig.Pixels;
                int* list = positions + n * positionStride;
                double* deltas = layer1Delta + n * hidden + k;
                for (int q = 0, count = counts[n]; q < count; q++)
                {
                    int p = list[q];
                    s += image[offsets[p] + offset] * deltas[p * kernelCount];
                }
            }
            kernelsUpdate[l * kernelCount + k] = s;
        }
    }
}
