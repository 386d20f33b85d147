namespace CnnParity.Core.Engines;

/// <summary>The update rule of a spec's training, named as torch.optim names its classes.</summary>
public enum OptimizerKind
{
    /// <summary>torch.optim.SGD (momentum, L2 weight decay added to the gradient).</summary>
    Sgd,

    /// <summary>torch.optim.Adam (L2 weight decay added to the gradient).</summary>
    Adam,

    /// <summary>torch.optim.AdamW (decoupled weight decay: p ← p·(1 − lr·wd) before the Adam step).</summary>
    AdamW,
}
