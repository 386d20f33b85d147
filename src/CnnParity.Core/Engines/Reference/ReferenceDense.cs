using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.Linear as its definition reads: <c>out[b,o] = Σ_i w[o,i]·in[b,i] + bias[o]</c>; the input gradient
/// <c>Σ_o w[o,i]·dOut[b,o]</c>, the weight gradient <c>Σ_b dOut[b,o]·in[b,i]</c>, the bias gradient <c>Σ_b dOut[b,o]</c>.
/// </summary>
internal sealed class ReferenceDense : ReferenceLayer
{
    private readonly int _in, _out;
    private readonly double[] _weight;
    private readonly double[]? _bias;

    public ReferenceDense(SpecLayer layer, DenseSpec spec, Func<string, double[]> parameters) : base(layer)
    {
        (_in, _out) = (layer.Input.Size, spec.Outputs);
        _weight = parameters($"{layer.Name}.weight");
        _bias = spec.Bias ? parameters($"{layer.Name}.bias") : null;
    }

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = Carried.Zeros(batch * _out);
        ForEachImage(batch, b =>
        {
            for (int o = 0; o < _out; o++)
            {
                var sum = new RoundedSum();
                for (int i = 0; i < _in; i++)
                    sum.AddProduct(_weight[o * _in + i], input.Value[b * _in + i], input.Variance[b * _in + i]);
                if (_bias is not null) sum.AddTerm(_bias[o], 0);
                output.Value[b * _out + o] = sum.Value;
                output.Variance[b * _out + o] = sum.Variance;
            }
        });
        return output;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var dInput = Carried.Zeros(batch * _in);
        ForEachImage(batch, b =>
        {
            for (int i = 0; i < _in; i++)
            {
                var sum = new RoundedSum();
                for (int o = 0; o < _out; o++)
                    sum.AddProduct(_weight[o * _in + i], dOutput.Value[b * _out + o], dOutput.Variance[b * _out + o]);
                dInput.Value[b * _in + i] = sum.Value;
                dInput.Variance[b * _in + i] = sum.Variance;
            }
        });

        var dWeight = Carried.Zeros(_weight.Length);
        Parallel.For(0, _out, o =>
        {
            for (int i = 0; i < _in; i++)
            {
                var sum = new RoundedSum();
                for (int b = 0; b < batch; b++)
                    sum.AddProduct(dOutput.Value[b * _out + o], input.Value[b * _in + i], dOutput.Variance[b * _out + o], input.Variance[b * _in + i]);
                dWeight.Value[o * _in + i] = sum.Value;
                dWeight.Variance[o * _in + i] = sum.Variance;
            }
        });
        gradients[$"{Name}.weight"] = dWeight;

        if (_bias is not null)
        {
            var dBias = Carried.Zeros(_out);
            for (int o = 0; o < _out; o++)
            {
                var sum = new RoundedSum();
                for (int b = 0; b < batch; b++) sum.AddTerm(dOutput.Value[b * _out + o], dOutput.Variance[b * _out + o]);
                dBias.Value[o] = sum.Value;
                dBias.Variance[o] = sum.Variance;
            }
            gradients[$"{Name}.bias"] = dBias;
        }
        return dInput;
    }
}
