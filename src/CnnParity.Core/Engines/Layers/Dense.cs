using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Kernels;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.Linear (https://pytorch.org/docs/stable/generated/torch.nn.Linear.html), the spec's <c>dense</c>: weight
/// (J, I), optional bias (J). Sum orders (each output one sequential sum from +0):
/// <code>
/// forward   out[b,j]  = Σ over i in order of x[b,i]·w[j,i]     then + bias[j]
/// input     dX[b,i]   = Σ over j in order of dOut[b,j]·w[j,i]
/// weight    dW[j,i]   = Σ over b in order of dOut[b,j]·x[b,i]
/// bias      dBias[j]  = Σ over b in order of dOut[b,j]
/// </code>
/// Each is one <see cref="OrderedMatMul"/>: the forward pass reads w transposed (made once per pass) and is vectorised
/// across j; the input gradient across i; the weight gradient across i, its rows split between threads; the bias
/// gradient is the product of a row of ones with dOut (1·dOut is dOut exactly), vectorised across j.
/// </summary>
internal sealed unsafe class Dense<T> : EngineLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T[] One = PinnedArray.Copy<T>([T.One]);

    private readonly int _in, _out;
    private readonly bool _bias;
    private readonly string _weightName, _biasName;
    private readonly T[] _transposed; // w transposed, (I, J)
    private T* _weights, _biases;

    public Dense(SpecLayer layer, DenseSpec spec) : base(layer)
    {
        _in = layer.Input.Size;
        _out = spec.Outputs;
        _bias = spec.Bias;
        _weightName = $"{layer.Name}.weight";
        _biasName = $"{layer.Name}.bias";
        _transposed = PinnedArray.Allocate<T>(_in * _out);
    }

    public override void Bind(ParameterSet<T> parameters)
    {
        T[] w = parameters[_weightName];
        _weights = PinnedArray.Address(w);
        _biases = _bias ? PinnedArray.Address(parameters[_biasName]) : null;
        for (int j = 0; j < _out; j++)
        {
            for (int i = 0; i < _in; i++)
            {
                _transposed[i * _out + j] = w[j * _in + i];
            }
        }
    }

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace) =>
        OrderedMatMul.Run(b1 - b0, _out, _in, input + (nint)b0 * _in, _in, 1, PinnedArray.Address(_transposed), _out,
            output + (nint)b0 * _out, _out, accumulate: false, colBias: _biases);

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput != null)
        {
            OrderedMatMul.Run(b1 - b0, _in, _out, dOutput + (nint)b0 * _out, _out, 1, _weights, _in,
                dInput + (nint)b0 * _in, _in, accumulate: false);
        }
    }

    // Tasks 0..n-1: blocks of weight rows; task n: the bias.
    public override int GradientTasks(int threads) => WeightTasks(threads) + (_bias ? 1 : 0);

    private int WeightTasks(int threads) => (_out + RowsPerTask(_out, threads) - 1) / RowsPerTask(_out, threads);

    public override void BackwardParameters(int task, int threads, T* input, T* dOutput, int batch, ParameterSet<T> gradients)
    {
        if (task == WeightTasks(threads))
        {
            OrderedMatMul.Run(1, _out, batch, PinnedArray.Address(One), 0, 0, dOutput, _out,
                PinnedArray.Address(gradients[_biasName]), _out, accumulate: false);
            return;
        }
        int rows = RowsPerTask(_out, threads);
        int j0 = task * rows, j1 = Math.Min(j0 + rows, _out);
        OrderedMatMul.Run(j1 - j0, _in, batch, dOutput + j0, 1, _out, input, _in,
            PinnedArray.Address(gradients[_weightName]) + (nint)j0 * _in, _in, accumulate: false);
    }
}
