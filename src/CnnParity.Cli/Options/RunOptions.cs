using System.CommandLine;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;

namespace CnnParity.Cli.Options;

/// <summary>
/// How train, parity, report and bench turn their options into a run of any network (<see cref="SpecTrainerOptions"/>), and
/// what each network refuses: ch10's --kernels and --grid with another spec, a spec's --momentum, --shuffle, --lr-decay and
/// optimizer options (<see cref="OptimizerOptions"/>) with ch10 (the notebook's rules have none of them).
/// </summary>
internal static class RunOptions
{
    /// <summary>A spec's SGD when --lr and --momentum are not given (ch10's default lr of 2, its alpha, belongs to its Σ/B² loss).</summary>
    public const double DefaultLearningRate = 0.05, DefaultMomentum = 0.9;

    /// <summary>
    /// The run of <paramref name="spec"/>: ch10 at --lr (alpha, 2 unless given) by plain SGD without momentum, decay or
    /// shuffling; any other spec by the <paramref name="optimizer"/> given (SGD unless --optimizer says otherwise) at --lr
    /// (default <see cref="DefaultLearningRate"/> for SGD, torch.optim.Adam's 0.001 for Adam and AdamW), SGD with
    /// <paramref name="momentum"/>'s value, the images reshuffled every epoch when <paramref name="shuffle"/>. The caller
    /// refuses a spec's own options for ch10 (in its own words).
    /// </summary>
    /// <param name="chapter10Only">the command's own options that only ch10 takes (besides --kernels and --grid)</param>
    public static SpecTrainerOptions Training(ParseResult parsed, NetworkOptions network, OptimizerOptions optimizer, ArchitectureSpec spec,
        Option<double> momentum, bool shuffle, double decay, IEnumerable<Option> chapter10Only, Dtype dtype = Dtype.Float64)
    {
        if (!spec.IsChapter10)
            foreach (var option in new Option[] { network.NumKernels, network.Grid }.Concat(chapter10Only))
                if (CliOptions.Explicit(parsed, option))
                    throw new CnnParityException($"{option.Name} belongs to ch10; the spec '{spec.DisplayName}' gives every size itself");
        var rule = spec.IsChapter10 ? OptimizerSettings.Sgd : optimizer.Settings(parsed, momentum);
        return new SpecTrainerOptions(spec)
        {
            Dtype = dtype,
            BatchSize = parsed.GetValue(network.Batch),
            LearningRate = CliOptions.Explicit(parsed, network.LearningRate) || spec.IsChapter10 ? parsed.GetValue(network.LearningRate)
                : rule.IsAdam ? OptimizerSettings.AdamDefaultLearningRate : DefaultLearningRate,
            Momentum = spec.IsChapter10 || rule.IsAdam ? 0 : parsed.GetValue(momentum),
            Optimizer = rule,
            Shuffle = shuffle,
            LearningRateDecay = decay,
            Epochs = parsed.GetValue(network.Epochs),
            TrainCount = parsed.GetValue(network.Train),
            TestCount = parsed.GetValue(network.Test),
            Seed = (uint)parsed.GetValue(network.Seed),
            Threads = parsed.GetValue(network.Threads),
            Exp = network.Exp(parsed).Kernel,
        }.Validate();
    }

    /// <summary>Refuses a spec's own options (--momentum, --optimizer, --shuffle, bench's --train...) when the network is ch10.</summary>
    public static void RejectForChapter10(ParseResult parsed, params Option[] specOnly)
    {
        foreach (var option in specOnly)
            if (CliOptions.Explicit(parsed, option))
                throw new CnnParityException($"{option.Name} applies to a spec's training (--arch SPEC); ch10 does not take it");
    }
}
