using System.CommandLine;

namespace CnnParity.Cli.Options;

/// <summary>
/// Options shared by the train, parity, report and bench commands, each validated where it is declared
/// so that a bad value is one clear line and exit code 2 before any work starts.
/// </summary>
public static class CliOptions
{
    public static Option<int> Positive(string name, string description, int defaultValue, int max = int.MaxValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            int value = result.GetValue(option);
            if (value <= 0) result.AddError($"{name} must be a positive integer, got {value}");
            else if (value > max) result.AddError($"{name} must be at most {max}, got {value}");
        });
        return option;
    }

    public static Option<int> NonNegative(string name, string description, int defaultValue, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            int value = result.GetValue(option);
            if (value < 0 || value > max) result.AddError($"{name} must be between 0 and {max}, got {value}");
        });
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

    public static Option<double> Finite(string name, string description, double defaultValue)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            double value = result.GetValue(option);
            if (!double.IsFinite(value) || value <= 0) result.AddError($"{name} must be a finite positive number, got {value}");
        });
        return option;
    }

    public static Option<int> Seed()
    {
        var option = new Option<int>("--seed") { Description = "seed of NumPy's RandomState (np.random.seed)", DefaultValueFactory = _ => 1 };
        option.Validators.Add(r => { if (r.GetValue(option) < 0) r.AddError("--seed must be between 0 and 2147483647"); });
        return option;
    }

    public static Option<int> Grid()
    {
        var option = new Option<int>("--grid")
        {
            Description = "positions per side: 26 = range(28-3+1) (seed notebook), 25 = range(28-3) (the book)",
            DefaultValueFactory = _ => 26,
        };
        option.Validators.Add(r => { int g = r.GetValue(option); if (g != 25 && g != 26) r.AddError($"--grid must be 25 or 26, got {g}"); });
        return option;
    }

    public static Option<string?> Data() => new("--data")
    {
        Description = "folder with the four IDX files (default: $CNNPARITY_DATA, ../shared/data/mnist, the user cache)",
    };

    public static Option<int> Threads() => Positive("--threads", "threads for both implementations", Environment.ProcessorCount, 256);
}
