using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>conv → tanh → pool → flatten → linear on 1×6×6 images; variants make the mistakes ports make.</summary>
sealed class SmallNet : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly nn.Module<Tensor, Tensor> act;
    readonly MaxPool2d pool = nn.MaxPool2d(2);
    readonly Flatten flatten = nn.Flatten();
    readonly Linear fc = nn.Linear(2 * 3 * 3, 3);
    readonly bool forwardInsteadOfCall;

    /// <param name="padding">1 is right; 0 changes every shape after conv1</param>
    /// <param name="relu">the wrong activation</param>
    /// <param name="forwardInsteadOfCall">invoke the activation with forward(x), which hooks cannot see</param>
    public SmallNet(long padding = 1, bool relu = false, bool forwardInsteadOfCall = false) : base(nameof(SmallNet))
    {
        conv1 = nn.Conv2d(1, 2, 3, padding: padding);
        act = relu ? nn.ReLU() : nn.Tanh();
        this.forwardInsteadOfCall = forwardInsteadOfCall;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = conv1.call(x);
        h = forwardInsteadOfCall ? act.forward(h) : act.call(h);
        return fc.call(flatten.call(pool.call(h)));
    }

    /// <summary>Two nets with the same weights (the second's loaded from the first), float64.</summary>
    public static (SmallNet Reference, SmallNet Port) Pair(SmallNet port, long seed = 3)
    {
        manual_seed(seed);
        var reference = new SmallNet();
        reference.to(float64);
        port.to(float64);
        port.load_state_dict(reference.state_dict(), strict: false);
        return (reference, port);
    }

    public static Tensor Input(long seed = 4)
    {
        manual_seed(seed);
        return randn(2, 1, 6, 6, float64);
    }
}
