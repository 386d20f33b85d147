using System.CommandLine;
using System.Globalization;
using CnnParity.Core;
using CnnParity.Core.Engines;

namespace CnnParity.Cli.Options;

/// <summary>
/// A spec's optimizer on the command line (train, parity, report, bench): <c>--optimizer sgd|adam|adamw</c>,
/// <c>--weight-decay</c>, and Adam's <c>--beta1 --beta2 --eps</c> with torch.optim.Adam's defaults. Absent, the run is
/// today's: SGD without weight decay.
/// </summary>
internal sealed class OptimizerOptions
{
    public Option<string> Optimizer { get; } = CliOptions.OneOf("--optimizer",
        "a spec's optimizer: torch.optim.SGD (with --momentum), Adam or AdamW (--lr defaults to 0.001 for these); not ch10", "sgd",
        [.. OptimizerSettings.Names]);

    public Option<double> WeightDecay { get; } = NonNegative("--weight-decay",
        "weight decay: L2 added to the gradient (sgd, adam), decoupled p·(1-lr·wd) (adamw); not ch10", 0);

    public Option<double> Beta1 { get; } = CliOptions.NonNegativeFinite("--beta1", "Adam's β1, the first moment's decay (adam, adamw)", 0.9, 1);

    public Option<double> Beta2 { get; } = CliOptions.NonNegativeFinite("--beta2", "Adam's β2, the second moment's decay (adam, adamw)", 0.999, 1);

    public Option<double> Eps { get; } = CliOptions.Finite("--eps", "Adam's eps, added to the denominator after the square root (adam, adamw)", 1e-8);

    public IEnumerable<Option> All => [Optimizer, WeightDecay, Beta1, Beta2, Eps];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>
    /// The run's optimizer; refuses Adam's settings with SGD, and <paramref name="momentum"/> given with Adam or AdamW
    /// (they keep their own moments), each in one line.
    /// </summary>
    public OptimizerSettings Settings(ParseResult parsed, Option momentum)
    {
        var kind = OptimizerSettings.Parse(parsed.GetValue(Optimizer)!);
        var settings = new OptimizerSettings(kind, parsed.GetValue(WeightDecay), parsed.GetValue(Beta1), parsed.GetValue(Beta2), parsed.GetValue(Eps));
        if (!settings.IsAdam)
        {
            foreach (var option in new Option[] { Beta1, Beta2, Eps })
                if (CliOptions.Explicit(parsed, option))
                    throw new CnnParityException($"{option.Name} is Adam's: give it with --optimizer adam or adamw");
        }
        else if (CliOptions.Explicit(parsed, momentum))
        {
            throw new CnnParityException($"--momentum is SGD's; --optimizer {settings.Name} keeps its own moments (--beta1, --beta2)");
        }
        return settings.Validate();
    }

    /// <summary>Whether the command line gave any of these options (ch10 takes none).</summary>
    public Option? FirstExplicit(ParseResult parsed) => All.FirstOrDefault(o => CliOptions.Explicit(parsed, o));

    static Option<double> NonNegative(string name, string description, double defaultValue)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0)
            {
                result.AddError($"{name} must be a finite number >= 0, got '{token}'");
                return default;
            }
            return value;
        };
        return option;
    }
}
