using System.Numerics;
using CnnParity.Core.Engines.Kernels;

namespace CnnParity.Core.Engines.Layers;

// The general path of Conv2d, for any stride and padding: explicit patch matrices (im2col) and the same
// OrderedMatMul, so the same sums in the same order as the stride-1 path (see Conv2d.cs).
internal sealed unsafe partial class Conv2d<T>
{
    private readonly int _rowWidth; // a row of the weight-gradient patch matrix: C·K·K (+1 for the bias), padded to 64 bytes
    private T[] _patchRows = [];    // the batch's weight-gradient patch matrices, B × positions × _rowWidth

    private void ForwardByPatches(T* image, T* result, T* patches)
    {
        Im2Col(image, patches);
        OrderedMatMul.Run(_o, _positions, _patch, _weights, _patch, 1, patches, _positions, result, _positions,
            accumulate: false, rowBias: _biases);
    }

    // patches[(c·K + ky)·K + kx][y·Wo + x] = in[c, y·S+ky-P, x·S+kx-P], 0 in the padding.
    private void Im2Col(T* image, T* patches)
    {
        for (int c = 0; c < _c; c++)
            for (int ky = 0; ky < _k; ky++)
                for (int kx = 0; kx < _k; kx++)
                {
                    T* row = patches + (nint)((c * _k + ky) * _k + kx) * _positions;
                    for (int y = 0; y < _ho; y++)
                    {
                        int iy = y * _s + ky - _p;
                        T* line = row + y * _wo;
                        if ((uint)iy >= (uint)_h)
                        {
                            new Span<T>(line, _wo).Clear();
                            continue;
                        }
                        T* source = image + (c * _h + iy) * _w;
                        for (int x = 0; x < _wo; x++)
                        {
                            int ix = x * _s + kx - _p;
                            line[x] = (uint)ix < (uint)_w ? source[ix] : T.Zero;
                        }
                    }
                }
    }

    // rows[y·Wo + x][(c·K + ky)·K + kx] = in[c, y·S+ky-P, x·S+kx-P] (0 in the padding), then 1 (with a bias), then 0s.
    private void PatchRows(T* image, T* rows)
    {
        for (int y = 0; y < _ho; y++)
            for (int x = 0; x < _wo; x++)
            {
                T* row = rows + (nint)(y * _wo + x) * _rowWidth;
                int q = 0;
                for (int c = 0; c < _c; c++)
                    for (int ky = 0; ky < _k; ky++)
                    {
                        int iy = y * _s + ky - _p;
                        T* source = image + (c * _h + iy) * _w;
                        bool inside = (uint)iy < (uint)_h;
                        for (int kx = 0; kx < _k; kx++)
                        {
                            int ix = x * _s + kx - _p;
                            row[q++] = inside && (uint)ix < (uint)_w ? source[ix] : T.Zero;
                        }
                    }
                if (_bias)
                {
                    row[q++] = T.One;
                }
                for (; q < _rowWidth; q++)
                {
                    row[q] = T.Zero;
                }
            }
    }

    private void InputGradientByPatches(T* dOut, T* dIn, T* patches)
    {
        int inPositions = _h * _w;
        GradientPatches(dOut, patches);
        OrderedMatMul.Run(_c, inPositions, _o * _k * _k, PinnedArray.Address(_weightsByInput), _o * _k * _k, 1, patches, inPositions,
            dIn, inPositions, accumulate: false);
    }

    // patches[(o·K + ky)·K + kx][i·W + j] = dOut[o, (i+P-ky)/S, (j+P-kx)/S] where that position exists, else 0:
    // each row is cleared, then every output position (y, x) writes its value where it reads the input (y·S+ky-P, x·S+kx-P).
    private void GradientPatches(T* dOut, T* patches)
    {
        int inPositions = _h * _w;
        new Span<T>(patches, _o * _k * _k * inPositions).Clear();
        for (int o = 0; o < _o; o++)
            for (int ky = 0; ky < _k; ky++)
                for (int kx = 0; kx < _k; kx++)
                {
                    T* row = patches + (nint)((o * _k + ky) * _k + kx) * inPositions;
                    for (int y = 0; y < _ho; y++)
                    {
                        int i = y * _s + ky - _p;
                        if ((uint)i >= (uint)_h)
                        {
                            continue;
                        }
                        T* source = dOut + (o * _ho + y) * _wo;
                        T* line = row + i * _w;
                        for (int x = 0; x < _wo; x++)
                        {
                            int j = x * _s + kx - _p;
                            if ((uint)j < (uint)_w)
                            {
                                line[j] = source[x];
                            }
                        }
                    }
                }
    }

    private void WeightGradientByPatches(int task, int threads, T* dOutput, int batch, ParameterSet<T> gradients)
    {
        int rows = RowsPerTask(_o, threads);
        int o0 = task * rows, o1 = Math.Min(o0 + rows, _o);
        T* sums = PinnedArray.Address(_sums) + (nint)o0 * _rowWidth;
        T* patchRows = PinnedArray.Address(_patchRows);
        for (int b = 0; b < batch; b++)
        {
            // b = 0 starts the sums at +0; every later image continues them: one sum over (b, y, x).
            OrderedMatMul.Run(o1 - o0, _rowWidth, _positions, dOutput + (nint)b * OutputSize + (nint)o0 * _positions, _positions, 1,
                patchRows + (nint)b * _positions * _rowWidth, _rowWidth, sums, _rowWidth, accumulate: b > 0);
        }
        T[] dWeight = gradients[_weightName];
        for (int o = o0; o < o1; o++)
        {
            T* row = PinnedArray.Address(_sums) + (nint)o * _rowWidth;
            new ReadOnlySpan<T>(row, _patch).CopyTo(dWeight.AsSpan(o * _patch, _patch));
            if (_bias)
            {
                gradients[_biasName][o] = row[_patch];
            }
        }
    }
}
