using System.Globalization;
using System.Text;
using CnnParity.Core.Architecture;

namespace CnnParity.Parity.Grid;

/// <summary>An activation choice of a block: none, or one of the spec's nonlinearities.</summary>
public enum GridActivation { None, Tanh, ReLU, Sigmoid, ReLU6 }

/// <summary>A pooling choice of a conv block: none, max or average.</summary>
public enum GridPool { None, Max, Average }

/// <summary>conv, then an optional activation, pool and dropout.</summary>
public sealed record GridConv(int Channels, int Kernel, int Stride, int Padding, bool Bias,
    GridActivation Activation, GridPool Pool, int PoolKernel, int PoolStride, double Dropout);

/// <summary>A hidden dense layer, then an optional activation and dropout.</summary>
public sealed record GridDense(int Width, bool Bias, GridActivation Activation, double Dropout);

/// <summary>
/// One drawn spec as blocks: conv blocks, flatten, hidden dense blocks, <c>dense(10)</c>. It prints as its spec text,
/// which is how a failing case is reported (and shrunk): the text parses back with <see cref="ArchitectureSpec.Parse"/>.
/// </summary>
public sealed record GridSpec(GridConv[] Convs, GridDense[] Hidden, bool OutputBias)
{
    /// <summary>The spec in the command-line grammar.</summary>
    public string Text
    {
        get
        {
            var layers = new List<string>();
            foreach (var c in Convs)
            {
                layers.Add(new Conv2dSpec(c.Channels, c.Kernel, c.Stride, c.Padding, c.Bias).Text);
                Activation(layers, c.Activation);
                if (c.Pool != GridPool.None)
                    layers.Add(new Pool2dSpec(c.Pool == GridPool.Max ? PoolKind.Max : PoolKind.Average, c.PoolKernel, c.PoolStride).Text);
                Dropout(layers, c.Dropout);
            }
            layers.Add(new FlattenSpec().Text);
            foreach (var d in Hidden)
            {
                layers.Add(new DenseSpec(d.Width, d.Bias).Text);
                Activation(layers, d.Activation);
                Dropout(layers, d.Dropout);
            }
            layers.Add(new DenseSpec(ArchitectureSpec.Classes, OutputBias).Text);
            return string.Join(" ", layers);
        }
    }

    /// <summary>The parsed spec, or null when its geometry does not fit (a kernel larger than its input).</summary>
    public ArchitectureSpec? TryBuild()
    {
        try
        {
            return ArchitectureSpec.Parse(Text);
        }
        catch (ArchitectureSpecException)
        {
            return null;
        }
    }

    public override string ToString() => Text;

    static void Activation(List<string> layers, GridActivation activation)
    {
        if (activation != GridActivation.None)
            layers.Add(new ActivationSpec(activation switch
            {
                GridActivation.Tanh => ActivationKind.Tanh,
                GridActivation.ReLU => ActivationKind.ReLU,
                GridActivation.Sigmoid => ActivationKind.Sigmoid,
                GridActivation.ReLU6 => ActivationKind.ReLU6,
                _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
            }).Text);
    }

    static void Dropout(List<string> layers, double p)
    {
        if (p > 0) layers.Add(new DropoutSpec(p).Text);
    }
}
