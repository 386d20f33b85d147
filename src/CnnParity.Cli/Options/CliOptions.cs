using System.CommandLine;
using System.Globalization;
using CnnParity.Core;
using CnnParity.Core.IO;
using CnnParity.Core.NumPy;

namespace CnnParity.Cli.Options;

/// <summary>
/// Options shared by the train, parity, report and bench commands, each validated where it is declared
/// so that a bad value is one clear line and exit code 2 before any work starts.
/// </summary>
public static class CliOptions
{
    public static Option<int> Positive(string name, string description, int defaultValue, int max = int.MaxValue) =>
        Integer(name, description, defaultValue, "a positive integer", value =>
            value <= 0 ? $"{name} must be a positive integer, got {value}"
            : value > max ? $"{name} must be at most {max}, got {value}"
            : null);

    public static Option<int> NonNegative(string name, string description, int defaultValue, int max) =>
        Integer(name, description, defaultValue, $"an integer between 0 and {max}", value =>
            value < 0 || value > max ? $"{name} must be between 0 and {max}, got {value}" : null);

    /// <summary>
    /// Parses and checks in one place, so that a token that is not a number ("abc") is the same kind of one-line
    /// error as a number out of range, and no validator ever reads a value that failed to convert (which throws).
    /// </summary>
    static Option<int> Integer(string name, string description, int defaultValue, string expected, Func<int, string?> check)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                result.AddError($"{name} must be {expected}, got '{token}'");
                return default;
            }
            if (check(value) is { } error) result.AddError(error);
            return value;
        };
        return option;
    }

    public static Option<string> OneOf(string name, string description, string defaultValue, params string[] allowed)
    {
        var option = new Option<string>(name) { Description = $"{description} ({string.Join("|", allowed)})", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            string? value = result.GetValue(option);
            if (value is null || !allowed.Contains(value))
                result.AddError($"{name} must be one of {string.Join(", ", allowed)}, got '{value}'");
        });
        return option;
    }

    /// <summary>--dtype: a <see cref="Core.Dtype"/> by its short name (f64 unless given), read with <see cref="DtypeNames.Parse"/>.</summary>
    public static Option<string> Dtype(string description) =>
        OneOf("--dtype", description, Core.Dtype.Float64.ShortName(), [.. DtypeNames.All]);

    public static Option<double> Finite(string name, string description, double defaultValue)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            // Float allows "NaN" and "Infinity", which are then refused by name below rather than as unparsable.
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                || !double.IsFinite(value) || value <= 0)
            {
                result.AddError($"{name} must be a finite positive number, got '{token}'");
                return default;
            }
            return value;
        };
        return option;
    }

    public static Option<int> Seed() =>
        Integer("--seed", "seed of NumPy's RandomState (np.random.seed)", 1, "an integer between 0 and 2147483647",
            value => value < 0 ? $"--seed must be between 0 and 2147483647, got {value}" : null);

    /// <summary>The grid is where a kernel larger than the image would show: a 3x3 kernel on 28x28 allows 26 positions.</summary>
    public static Option<int> Grid() =>
        Integer("--grid", "positions per side: 26 = range(28-3+1) (seed notebook), 25 = range(28-3) (the book)", 26, "25 or 26",
            value => value is 25 or 26 ? null : $"--grid must be 25 or 26, got {value}");

    /// <summary>
    /// parity's --grid: 25 or 26 keep ch10's meaning (positions per side) unless --shard is given; any other count, or
    /// any count with --shard, is the number of random specs to check (<see cref="SpecGridCount"/>).
    /// </summary>
    public static Option<int> GridOrSpecCount() =>
        Positive("--grid", "ch10: positions per side, 26 (seed notebook) or 25 (the book); any other N, or N with --shard: " +
            "check N random specs drawn from --seed", 26, SpecGridCount);

    /// <summary>The most random specs one --grid run checks: a typo must not start a run of days.</summary>
    public const int SpecGridCount = 100000;

    /// <summary>--arch: a preset, a spec in the grammar, or a file holding one (ch10 is today's network).</summary>
    public static Option<string> Arch() => new("--arch")
    {
        Description = "the network: a preset (ch10, lenet5, lenet5-relu), a spec such as \"conv(c=4,k=3) relu flatten dense(10)\", or a file holding one",
        DefaultValueFactory = _ => "ch10",
    };

    /// <summary>--shard I/N: the I-th of N parts of a random grid (every N-th spec, from spec I-1).</summary>
    public static Option<(int Shard, int Shards)> Shard()
    {
        var option = new Option<(int, int)>("--shard")
        {
            Description = "with --grid: check only part I of N (specs I-1, I-1+N, ...), for CI runners; report merge joins the parts",
            DefaultValueFactory = _ => (1, 1),
        };
        option.CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            string[] parts = token.Split('/');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int shard)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int shards) && shard >= 1 && shard <= shards)
                return (shard, shards);
            result.AddError($"--shard must be I/N with 1 <= I <= N, got '{token}'");
            return default;
        };
        return option;
    }

    /// <summary>A finite number that may be zero (momentum).</summary>
    public static Option<double> NonNegativeFinite(string name, string description, double defaultValue, double below)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                || !double.IsFinite(value) || value < 0 || value >= below)
            {
                result.AddError($"{name} must be a number in [0, {below.ToString(CultureInfo.InvariantCulture)}), got '{token}'");
                return default;
            }
            return value;
        };
        return option;
    }

    /// <summary>--momentum: SGD momentum of a spec's training (train, report, bench; parity has its own, for its lockstep run).</summary>
    public static Option<double> Momentum() => NonNegativeFinite("--momentum", "SGD momentum of a spec's training (not ch10)",
        RunOptions.DefaultMomentum, 1);

    /// <summary>--lr-decay: a spec's learning rate multiplied by γ after every epoch (<see cref="Core.Engines.SpecTrainerOptions.LearningRateDecay"/>).</summary>
    public static Option<double> LearningRateDecay()
    {
        var option = new Option<double>("--lr-decay")
        {
            Description = "multiply a spec's learning rate by this after every epoch (torch.optim.lr_scheduler.ExponentialLR's gamma; 1: constant); not ch10",
            DefaultValueFactory = _ => 1,
        };
        option.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (!double.IsFinite(v) || v <= 0 || v > 1) r.AddError($"--lr-decay must be in (0, 1], got {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        });
        return option;
    }

    /// <summary>--shuffle: a spec's training reshuffles its images every epoch (<see cref="Core.Engines.SpecTrainerOptions.Shuffle"/>).</summary>
    public static Option<bool> Shuffle() => new("--shuffle")
    {
        Description = "reshuffle a spec's training images every epoch (np.random.permutation, as DataLoader(shuffle=True)); not ch10",
    };

    /// <summary>Whether the command line gave <paramref name="option"/> (not its default).</summary>
    public static bool Explicit(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    public static Option<string?> Data() => new("--data")
    {
        Description = "folder with the four IDX files (default: $CNNPARITY_DATA, ../shared/data/mnist, the user cache)",
    };

    /// <summary><c>--numpy-exp svml|libm</c>: force the np.exp to mirror; absent, the one NumPy runs on this CPU.</summary>
    public static Option<string?> NumPyExp()
    {
        var option = new Option<string?>("--numpy-exp")
        {
            Description = $"the np.exp to mirror ({string.Join("|", NumPyExpDispatch.Names)}; default: the one NumPy 1.24 runs on this CPU, " +
                          $"here {NumPyExpDispatch.Detected.Name})",
        };
        option.Validators.Add(result =>
        {
            string? value = result.GetValue(option);
            if (value is not null && !NumPyExpDispatch.Names.Contains(value))
                result.AddError($"--numpy-exp must be one of {string.Join(", ", NumPyExpDispatch.Names)}, got '{value}'");
        });
        return option;
    }

    public static Option<int> Threads() => Positive("--threads",
        "threads for the from-scratch code (TorchSharp's parity checks run one intra-op thread, see TorchRuntime.Pin; its speed is timed at one and at every core)", Environment.ProcessorCount, 256);

    /// <summary>
    /// Fails fast, before a long run, when the file an option names cannot be written (its folder cannot be created,
    /// a path runs under a regular file, the path is a folder): creates the folder, writes and deletes a probe file.
    /// </summary>
    public static void CheckWritableFile(string option, string path)
    {
        try
        {
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full))
                throw new CnnParityException($"{option} '{path}' is a folder, not a file");
            AtomicFile.ProbeWritable(Path.GetDirectoryName(full)!, Path.GetFileName(full) + ".write-check");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CnnParityException($"{option} '{path}' cannot be written: {e.Message.ReplaceLineEndings(" ").Trim()}", 2, e);
        }
    }
}
