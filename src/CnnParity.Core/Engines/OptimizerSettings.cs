using System.Globalization;

namespace CnnParity.Core.Engines;

/// <summary>
/// Which torch.optim optimizer trains a spec and its settings besides the learning rate and SGD's momentum (those stay on
/// <see cref="SpecTrainerOptions"/>): the weight decay, and Adam's β1, β2 and eps with PyTorch's defaults. The default,
/// <see cref="Sgd"/> without weight decay, is every run's rule before Adam came.
/// </summary>
/// <param name="WeightDecay">SGD and Adam: L2, g ← g + wd·p; AdamW: decoupled, p ← p·(1 − lr·wd)</param>
public sealed record OptimizerSettings(OptimizerKind Kind = OptimizerKind.Sgd, double WeightDecay = 0, double Beta1 = 0.9,
    double Beta2 = 0.999, double Eps = 1e-8)
{
    /// <summary>torch.optim.SGD without weight decay.</summary>
    public static readonly OptimizerSettings Sgd = new();

    /// <summary>The names the command line takes, in <see cref="OptimizerKind"/> order.</summary>
    public static readonly IReadOnlyList<string> Names = ["sgd", "adam", "adamw"];

    /// <summary>torch.optim.Adam's default learning rate, which a run given no --lr takes with Adam or AdamW.</summary>
    public const double AdamDefaultLearningRate = 1e-3;

    /// <summary>Adam or AdamW: the rules with moment estimates (β1, β2, eps).</summary>
    public bool IsAdam => Kind != OptimizerKind.Sgd;

    /// <summary>The command line's name: sgd, adam or adamw.</summary>
    public string Name => Names[(int)Kind];

    /// <summary>The optimizer named <paramref name="name"/> (sgd, adam, adamw), or a one-line error.</summary>
    public static OptimizerKind Parse(string name)
    {
        int index = Names.ToList().IndexOf(name);
        return index >= 0 ? (OptimizerKind)index : throw new CnnParityException($"--optimizer must be one of {string.Join(", ", Names)}, got '{name}'");
    }

    /// <summary>Throws <see cref="CnnParityException"/> naming the first setting torch.optim would refuse.</summary>
    public OptimizerSettings Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new CnnParityException($"unknown optimizer {Kind}");
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0) throw new CnnParityException($"the weight decay must be a number >= 0, got {G(WeightDecay)}");
        if (!double.IsFinite(Beta1) || Beta1 < 0 || Beta1 >= 1) throw new CnnParityException($"beta1 must be in [0, 1), got {G(Beta1)}");
        if (!double.IsFinite(Beta2) || Beta2 < 0 || Beta2 >= 1) throw new CnnParityException($"beta2 must be in [0, 1), got {G(Beta2)}");
        // At eps = 0 a gradient of rounding noise near zero would take a whole step of size lr, either way.
        if (!double.IsFinite(Eps) || Eps <= 0) throw new CnnParityException($"eps must be a positive number, got {G(Eps)}");
        return this;
    }

    /// <summary>
    /// One line for headers and tables: "sgd", "sgd, weight decay 0.0005", "adam (β1 0.9, β2 0.999, eps 1e-08)",
    /// "adamw (β1 0.9, β2 0.999, eps 1e-08), weight decay 0.01".
    /// </summary>
    public override string ToString() =>
        Name + (IsAdam ? $" (β1 {G(Beta1)}, β2 {G(Beta2)}, eps {G(Eps)})" : "") + (WeightDecay != 0 ? $", weight decay {G(WeightDecay)}" : "");

    static string G(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
