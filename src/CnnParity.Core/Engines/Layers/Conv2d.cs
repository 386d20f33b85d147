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
/// (weights and activations are finite). So the kernels add the zeros of padded copies, and NumPy may too.
/// <para>
/// How, with stride 1 (LeNet's convolutions): every pass is one <see cref="OrderedMatMul"/> that reads a zero-padded
/// copy of an image in place, its rows of B (or A) being windows into the copy at the offset of each (c, ky, kx).
/// The outputs come out "wide" — rows as long as the padded input's, the extra K-1 columns computed and dropped — so
/// that a block of neighbouring outputs is a contiguous vector. The forward pass is vectorised across output
/// positions, the input gradient (a correlation of the output gradient, padded by K-1-P, with the flipped kernel)
/// across input positions, the weight gradient across output channels, its sums running over the padded input
/// windows against the output gradient transposed (wide, zeros in the dropped columns); a row of ones gives the bias
/// gradient in the same sum (1·dOut is dOut exactly). Other strides (and P &gt; K-1 for the input gradient) build
/// the patch matrices instead (Conv2d.Patches.cs): the same sums in the same order.
/// </para>
/// </summary>
internal sealed unsafe partial class Conv2d<T> : EngineLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _c, _h, _w, _o, _k, _s, _p, _ho, _wo;
    private readonly int _patch;     // C·K·K
    private readonly int _positions; // Ho·Wo
    private readonly string _weightName, _biasName;
    private readonly bool _bias;
    private readonly bool _direct, _directInput; // stride 1; and P <= K-1 for the input gradient
    private readonly T[] _weightsByInput; // (C, O·K·K): w[o,c,ky,kx] at [c][(o·K + ky)·K + kx], for the input gradient
    private T* _weights, _biases;

    // Stride 1: the padded input (Hp × Wp per channel), the wide output rows and the tables of window offsets.
    private readonly int _hp, _wp, _wide;          // _wide: wide output positions that end at the last real one
    private readonly nint[] _inputWindows;         // (c, ky, kx) -> c·Hp·Wp + ky·Wp + kx; then the ones row
    private readonly int _hd, _wd, _wideInput;     // the output gradient padded by K-1-P: Hd × Wd per channel
    private readonly Band[] _bands;                // input rows grouped by which kernel rows reach an output row
    private readonly int _lanes;                   // output channels padded to 32 bytes (the weight gradient's vector)
    private readonly int _block;                   // per image: C·Hp·Wp padded input, then _wide ones
    private T[] _padded = [], _gradientT = [], _sums = [];

    public Conv2d(SpecLayer layer, Conv2dSpec spec) : base(layer)
    {
        (_c, _h, _w) = (layer.Input.Channels, layer.Input.Height, layer.Input.Width);
        (_o, _k, _s, _p) = (spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding);
        (_ho, _wo) = (layer.Output.Height, layer.Output.Width);
        _patch = _c * _k * _k;
        _positions = _ho * _wo;
        _bias = spec.Bias;
        _weightName = $"{layer.Name}.weight";
        _biasName = $"{layer.Name}.bias";
        _weightsByInput = PinnedArray.Allocate<T>(_c * _o * _k * _k);
        _direct = _s == 1;
        _directInput = _direct && _p <= _k - 1;
        (_hp, _wp) = (_h + 2 * _p, _w + 2 * _p);
        _wide = (_ho - 1) * _wp + _wo;
        _inputWindows = PinnedArray.Allocate<nint>(_patch + 1);
        for (int c = 0, q = 0; c < _c; c++)
            for (int ky = 0; ky < _k; ky++)
                for (int kx = 0; kx < _k; kx++)
                    _inputWindows[q++] = c * _hp * _wp + ky * _wp + kx;
        _block = _c * _hp * _wp + _wide;
        _inputWindows[_patch] = _c * _hp * _wp;
        int margin = _k - 1 - _p;
        (_hd, _wd) = (_ho + 2 * margin, _wo + 2 * margin);
        _wideInput = (_h - 1) * _wd + _w;
        _bands = _directInput ? Band.Split(_h, _ho, _k, _p, _o, _c, _hd, _wd) : [];
        int perVector = 32 / sizeof(T);
        _lanes = (_o + perVector - 1) / perVector * perVector;
        _rowWidth = (_patch + (_bias ? 1 : 0) + 64 / sizeof(T) - 1) / (64 / sizeof(T)) * (64 / sizeof(T));
    }

    public override int WorkspaceSize
    {
        get
        {
            int forward = _direct ? _c * _hp * _wp + _o * _ho * _wp : _patch * _positions;
            int input = _directInput ? _o * _hd * _wd + _c * _h * _wd : _o * _k * _k * _h * _w;
            return Math.Max(forward, input);
        }
    }

    public override void Bind(ParameterSet<T> parameters)
    {
        T[] w = parameters[_weightName];
        _weights = PinnedArray.Address(w);
        _biases = _bias ? PinnedArray.Address(parameters[_biasName]) : null;
        int kk = _k * _k;
        for (int o = 0; o < _o; o++)
            for (int c = 0; c < _c; c++)
                for (int q = 0; q < kk; q++)
                    _weightsByInput[c * _o * kk + o * kk + q] = w[(o * _c + c) * kk + q];
        if (_directInput)
        {
            foreach (Band band in _bands)
            {
                band.TakeWeights(w);
            }
        }
    }

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        for (int b = b0; b < b1; b++)
        {
            T* image = input + (nint)b * InputSize, result = output + (nint)b * OutputSize;
            if (!_direct)
            {
                ForwardByPatches(image, result, workspace);
                continue;
            }
            T* padded = workspace, wide = workspace + _c * _hp * _wp;
            Pad(image, _c, _h, _w, _p, _p, padded);
            OrderedMatMul.Run(_o, _wide, _patch, _weights, _patch, 1, padded, 0, wide, _ho * _wp, accumulate: false,
                rowBias: _biases, bRows: PinnedArray.Address(_inputWindows));
            Narrow(wide, _o, _ho, _wp, _wo, result);
        }
    }

    public override void BeginBackward(int batch)
    {
        if (_direct)
        {
            Grow(ref _padded, batch * _block);
            Grow(ref _gradientT, batch * _wide * _lanes);
            Grow(ref _sums, (_patch + 1) * _lanes);
        }
        else
        {
            Grow(ref _patchRows, batch * _positions * _rowWidth);
            Grow(ref _sums, _o * _rowWidth);
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        for (int b = b0; b < b1; b++)
        {
            T* image = input + (nint)b * InputSize, dOut = dOutput + (nint)b * OutputSize;
            T* dIn = dInput == null ? null : dInput + (nint)b * InputSize;
            if (_direct)
            {
                // What the weight gradient reads: the padded image followed by ones, and dOut transposed to (wide position, channel).
                T* block = PinnedArray.Address(_padded) + (nint)b * _block;
                Pad(image, _c, _h, _w, _p, _p, block);
                new Span<T>(block + _c * _hp * _wp, _wide).Fill(T.One);
                TransposeWide(dOut, PinnedArray.Address(_gradientT) + (nint)b * _wide * _lanes);
            }
            else
            {
                PatchRows(image, PinnedArray.Address(_patchRows) + (nint)b * _positions * _rowWidth);
            }
            if (dIn == null)
            {
                continue;
            }
            if (!_directInput)
            {
                InputGradientByPatches(dOut, dIn, workspace);
                continue;
            }
            T* padded = workspace, wide = workspace + _o * _hd * _wd;
            int margin = _k - 1 - _p;
            Pad(dOut, _o, _ho, _wo, margin, margin, padded);
            foreach (Band band in _bands)
            {
                // Only the kernel rows that reach an output row: the others read the zero padding, and adding ±0 changes nothing.
                OrderedMatMul.Run(_c, (band.Last - band.First) * _wd + _w, band.Terms, PinnedArray.Address(band.Weights), band.Terms, 1,
                    padded + band.First * _wd, 0, wide + band.First * _wd, _h * _wd, accumulate: false, bRows: PinnedArray.Address(band.Windows));
            }
            Narrow(wide, _c, _h, _wd, _w, dIn);
        }
    }

    // gradientT[(y·Wp + x)·lanes + o] = dOut[o, y, x]; 0 in the dropped columns x >= Wo and in the padding lanes o >= O.
    private void TransposeWide(T* dOut, T* gradientT)
    {
        new Span<T>(gradientT, _wide * _lanes).Clear();
        for (int o = 0; o < _o; o++)
            for (int y = 0; y < _ho; y++)
            {
                T* source = dOut + (o * _ho + y) * _wo;
                T* target = gradientT + (nint)y * _wp * _lanes + o;
                for (int x = 0; x < _wo; x++)
                {
                    target[x * _lanes] = source[x];
                }
            }
    }

    public override int GradientTasks(int threads)
    {
        int rows = _direct ? _patch + (_bias ? 1 : 0) : _o;
        int perTask = _direct ? 8 : RowsPerTask(rows, threads);
        return (rows + perTask - 1) / perTask;
    }

    public override void BackwardParameters(int task, int threads, T* input, T* dOutput, int batch, ParameterSet<T> gradients)
    {
        if (!_direct)
        {
            WeightGradientByPatches(task, threads, dOutput, batch, gradients);
            return;
        }
        // Rows (c, ky, kx) of the weight gradient, transposed: sums[q][o] over (b, wide position) in order.
        int q0 = task * 8, q1 = Math.Min(q0 + 8, _patch + (_bias ? 1 : 0));
        T* sums = PinnedArray.Address(_sums);
        for (int b = 0; b < batch; b++)
        {
            OrderedMatMul.Run(q1 - q0, _lanes, _wide, PinnedArray.Address(_padded) + (nint)b * _block, 0, 1,
                PinnedArray.Address(_gradientT) + (nint)b * _wide * _lanes, _lanes, sums + (nint)q0 * _lanes, _lanes,
                accumulate: b > 0, aRows: PinnedArray.Address(_inputWindows) + q0);
        }
        T[] dWeight = gradients[_weightName];
        for (int q = q0; q < q1; q++)
        {
            T* row = sums + (nint)q * _lanes;
            if (q == _patch)
            {
                new ReadOnlySpan<T>(row, _o).CopyTo(gradients[_biasName]);
                continue;
            }
            for (int o = 0; o < _o; o++)
            {
                dWeight[o * _patch + q] = row[o];
            }
        }
    }

    // target[ch, pt + i, pl + j] = source[ch, i, j] in planes of (H + 2·pt) × (W + 2·pl), zeros around.
    private static void Pad(T* source, int channels, int h, int w, int pt, int pl, T* target)
    {
        int hp = h + 2 * pt, wp = w + 2 * pl;
        if (pt == 0 && pl == 0)
        {
            new ReadOnlySpan<T>(source, channels * h * w).CopyTo(new Span<T>(target, channels * h * w));
            return;
        }
        new Span<T>(target, channels * hp * wp).Clear();
        for (int ch = 0; ch < channels; ch++)
            for (int i = 0; i < h; i++)
                new ReadOnlySpan<T>(source + (ch * h + i) * w, w).CopyTo(new Span<T>(target + (ch * hp + pt + i) * wp + pl, w));
    }

    // target[ch, y, x] = wide[ch·rows·stride + y·stride + x] for x < w: drops the wide rows' extra columns.
    private static void Narrow(T* wide, int channels, int rows, int stride, int w, T* target)
    {
        for (int ch = 0; ch < channels; ch++)
            for (int y = 0; y < rows; y++)
                new ReadOnlySpan<T>(wide + (ch * rows + y) * stride, w).CopyTo(new Span<T>(target + (ch * rows + y) * w, w));
    }

    private static void Grow(ref T[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = PinnedArray.Allocate<T>(size);
        }
    }
}
