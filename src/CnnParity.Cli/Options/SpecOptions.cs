using System.CommandLine;
using CnnParity.Cli.Commands;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;

namespace CnnParity.Cli.Options;

/// <summary>
/// How train, report and bench turn their options into a spec's run (<see cref="SpecTrainerOptions"/>), and what each
/// side refuses: ch10's --kernels and --grid with another spec, a spec's --momentum, --shuffle and --lr-decay with ch10.
/// </summary>
internal static class SpecOptions
{
    /// <summary>The run of <paramref name="spec"/>: SGD with --lr (default <see cref="SpecParityRun.DefaultLearningRate"/>) and <paramref name="momentum"/>,
    /// the images reshuffled every epoch when <paramref name="shuffle"/>.</summary>
    /// <param name="chapter10Only">the command's own options that only ch10 takes (besides --kernels and --grid)</param>
    public static SpecTrainerOptions Training(ParseResult parsed, NetworkOptions network, ArchitectureSpec spec, double momentum, bool shuffle, double decay,
        IEnumerable<Option> chapter10Only, Dtype dtype = Dtype.Float64)
    {
        foreach (var option in new Option[] { network.NumKernels, network.Grid }.Concat(chapter10Only))
            if (CliOptions.Explicit(parsed, option))
                throw new CnnParityException($"{option.Name} belongs to ch10; the spec '{spec.DisplayName}' gives every size itself");
        return new SpecTrainerOptions(spec)
        {
            Dtype = dtype,
            BatchSize = parsed.GetValue(network.Batch),
            LearningRate = CliOptions.Explicit(parsed, network.LearningRate) ? parsed.GetValue(network.LearningRate) : SpecParityRun.DefaultLearningRate,
            Momentum = momentum,
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

    /// <summary>Refuses a spec's own options (--momentum, --shuffle, a spec's --dtype...) when the network is ch10.</summary>
    public static void RejectForChapter10(ParseResult parsed, params Option[] specOnly)
    {
        foreach (var option in specOnly)
            if (CliOptions.Explicit(parsed, option))
                throw new CnnParityException($"{option.Name} applies to a spec's SGD training (--arch SPEC); ch10 does not take it");
    }
}
