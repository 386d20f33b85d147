using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Kernels;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.Conv2d (https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html): square kernel K, stride S, zero
/// padding P, weight (O, C, K, K), optional bias (O). Sum orders (each output one sequential sum from +0):
/// <code>
/// forward   out[b,o,y,x]   = Σ over (c, ky, kx) in order of w[o,c,ky,kx]·in[b, c, y·S+ky-P, x·S+kx-P]    then + bias[o]
/// input     dIn[b,c,i,j]   = Σ over (o, ky, kx) in order of w[o,c,ky,kx]·dOut[b, o, (i+P-ky)/S, (j+P-kx)/S]
/// weight    dW[o,c,ky,kx]  = Σ over (b, y, x) in order of dOut[b,o,y,x]·in[b, c, y·S+ky-P, x·S+kx-P]
/// bias      dBias[o]       = Σ over (b, y, x) in order of dOut[b,o,y,x]
/// </code>
/// A term whose input position is padding, or (for dIn) whose output position does not exist, is ±0 and may be
/// added or left out without changing a bit: a sum that starts at +0 is never -0, and adding ±0 to it changes nothing
/// (weights and activations are finite). So the kernels add the zeros of a padded copy, and NumPy may too.
/// <para>
/// How: per image, the input's patches are laid out as a (C·K·K) × (positions) matrix (im2col) and the forward pass is
/// one <see cref="OrderedMatMul"/> with w as a (O × C·K·K) matrix, vectorised across output positions. The input
/// gradient is the same product over a matrix of the output gradient's patches, vectorised across input positions.
/// The weight gradient runs over a positions × (C·K·K + 1) patch matrix whose last column is 1, so the bias gradient
/// comes out of the same sum (dOut·1 is dOut exactly), vectorised across the weights of a row.
/// </para>
/// </summary>
internal sealed unsafe class Conv2d<T> : EngineLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _c, _h, _w, _o, _k, _s, _p, _ho, _wo;
    private readonly int _patch;     // C·K·K
    private readonly int _positions; // Ho·Wo
    private readonly int _rowWidth;  // columns of a row of the weight-gradient patch matrix: C·K·K (+1 for the bias), padded to 64 bytes
    private readonly string _weightName, _biasName;
    private readonly bool _bias;
    private readonly T[] _weightsByInput; // (C, O·K·K): w[o,c,ky,kx] at [c][(o·K + ky)·K + kx], for the input gradient
    private T* _weights, _biases;
    private T[] _patchRows = [];          // the batch's weight-gradient patch matrices, B × positions × _rowWidth
    private T[] _sums = [];               // the weight-gradient sums, O × _rowWidth

    public Conv2d(SpecLayer layer, Conv2dSpec spec) : base(layer)
    {
        (_c, _h, _w) = (layer.Input.Channels, layer.Input.Height, layer.Input.Width);
        (_o, _k, _s, _p) = (spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding);
        (_ho, _wo) = (layer.Output.Height, layer.Output.Width);
        _patch = _c * _k * _k;
        _positions = _ho * _wo;
        _bias = spec.Bias;
        int perLine = 64 / sizeof(T);
        _rowWidth = (_patch + (_bias ? 1 : 0) + perLine - 1) / perLine * perLine;
        _weightName = $"{layer.Name}.weight";
        _biasName = $"{layer.Name}.bias";
        _weightsByInput = PinnedArray.Allocate<T>(_c * _o * _k * _k);
        _sums = PinnedArray.Allocate<T>(_o * _rowWidth);
    }

    // Forward: the patch matrix (C·K·K × positions); backward: the output gradient's patch matrix (O·K·K × H·W).
    public override int ScratchSize => Math.Max(_patch * _positions, _o * _k * _k * _h * _w);

    public override void Bind(ParameterSet<T> parameters)
    {
        T[] w = parameters[_weightName];
        _weights = PinnedArray.Address(w);
        _biases = _bias ? PinnedArray.Address(parameters[_biasName]) : null;
        int kk = _k * _k;
        for (int o = 0; o < _o; o++)
        {
            for (int c = 0; c < _c; c++)
            {
                for (int q = 0; q < kk; q++)
                {
                    _weightsByInput[c * _o * kk + o * kk + q] = w[(o * _c + c) * kk + q];
                }
            }
        }
    }

    public override void Forward(T* input, T* output, int b0, int b1, T* scratch)
    {
        for (int b = b0; b < b1; b++)
        {
            Im2Col(input + (nint)b * InputSize, scratch);
            OrderedMatMul.Run(_o, _positions, _patch, _weights, _patch, 1, scratch, _positions,
                output + (nint)b * OutputSize, _positions, accumulate: false, rowBias: _biases);
        }
    }

    // patches[(c·K + ky)·K + kx][y·Wo + x] = in[c, y·S+ky-P, x·S+kx-P], 0 in the padding.
    private void Im2Col(T* image, T* patches)
    {
        for (int c = 0; c < _c; c++)
        {
            for (int ky = 0; ky < _k; ky++)
            {
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
        }
    }

    public override void BeginBackward(int batch)
    {
        int size = batch * _positions * _rowWidth;
        if (_patchRows.Length < size)
        {
            _patchRows = PinnedArray.Allocate<T>(size);
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* scratch)
    {
        int kk = _k * _k, inPositions = _h * _w;
        for (int b = b0; b < b1; b++)
        {
            PatchRows(input + (nint)b * InputSize, PinnedArray.Address(_patchRows) + (nint)b * _positions * _rowWidth);
            if (dInput == null)
            {
                continue;
            }
            GradientPatches(dOutput + (nint)b * OutputSize, scratch);
            OrderedMatMul.Run(_c, inPositions, _o * kk, PinnedArray.Address(_weightsByInput), _o * kk, 1, scratch, inPositions,
                dInput + (nint)b * InputSize, inPositions, accumulate: false);
        }
    }

    // rows[y·Wo + x][(c·K + ky)·K + kx] = in[c, y·S+ky-P, x·S+kx-P] (0 in the padding), then 1 (with a bias), then 0s.
    private void PatchRows(T* image, T* rows)
    {
        for (int y = 0; y < _ho; y++)
        {
            for (int x = 0; x < _wo; x++)
            {
                T* row = rows + (nint)(y * _wo + x) * _rowWidth;
                int q = 0;
                for (int c = 0; c < _c; c++)
                {
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
    }

    // patches[(o·K + ky)·K + kx][i·W + j] = dOut[o, (i+P-ky)/S, (j+P-kx)/S] where that position exists, else 0.
    private void GradientPatches(T* dOut, T* patches)
    {
        int inPositions = _h * _w;
        for (int o = 0; o < _o; o++)
        {
            for (int ky = 0; ky < _k; ky++)
            {
                for (int kx = 0; kx < _k; kx++)
                {
                    T* row = patches + (nint)((o * _k + ky) * _k + kx) * inPositions;
                    for (int i = 0; i < _h; i++)
                    {
                        T* line = row + i * _w;
                        int ty = i + _p - ky;
                        int y = ty / _s;
                        if (ty < 0 || ty % _s != 0 || y >= _ho)
                        {
                            new Span<T>(line, _w).Clear();
                            continue;
                        }
                        T* source = dOut + (o * _ho + y) * _wo;
                        for (int j = 0; j < _w; j++)
                        {
                            int tx = j + _p - kx;
                            int x = tx / _s;
                            line[j] = tx >= 0 && tx % _s == 0 && x < _wo ? source[x] : T.Zero;
                        }
                    }
                }
            }
        }
    }

    public override int GradientTasks(int threads) => (_o + RowsPerTask(_o, threads) - 1) / RowsPerTask(_o, threads);

    public override void BackwardParameters(int task, int threads, T* input, T* dOutput, int batch, ParameterSet<T> gradients)
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
        T[]? dBias = _bias ? gradients[_biasName] : null;
        for (int o = o0; o < o1; o++)
        {
            T* row = PinnedArray.Address(_sums) + (nint)o * _rowWidth;
            new ReadOnlySpan<T>(row, _patch).CopyTo(dWeight.AsSpan(o * _patch, _patch));
            if (dBias != null)
            {
                dBias[o] = row[_patch];
            }
        }
    }
}
