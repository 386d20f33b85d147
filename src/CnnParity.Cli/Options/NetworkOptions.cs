using System.CommandLine;
using CnnParity.Core.NumPy;

namespace CnnParity.Cli.Options;

/// <summary>The options that define a run of the network, shared by train, parity, report and bench.</summary>
public sealed class NetworkOptions
{
    public Option<int> Seed { get; } = CliOptions.Seed();
    public Option<int> NumKernels { get; } = CliOptions.Positive("--kernels", "num_kernels: 4 in the seed notebook, 16 in the book", 4, 1024);
    public Option<int> Grid { get; }
    public Option<int> Epochs { get; }
    public Option<int> Batch { get; } = CliOptions.Positive("--batch", "batch size", 128, 60000);
    public Option<double> LearningRate { get; } = CliOptions.Finite("--lr", "the step size (ch10: alpha, 2; a spec: 0.05 with SGD, 0.001 with Adam or AdamW)", 2);
    public Option<int> Train { get; } = CliOptions.Positive("--train", "train on the first N training images", 1000, 60000);
    public Option<int> Test { get; }
    public Option<int> Threads { get; } = CliOptions.Threads();
    public Option<string?> Data { get; } = CliOptions.Data();
    public Option<string> Dataset { get; } = CliOptions.OneOf("--dataset", "named dataset", "mnist", "mnist", "fashion-mnist");
    public Option<string?> NumPyExp { get; } = CliOptions.NumPyExp();

    /// <param name="grid">the command's --grid, when it means more than ch10's positions per side (parity: a random grid)</param>
    public NetworkOptions(int defaultEpochs = 300, int defaultTest = 10000, Option<int>? grid = null)
    {
        Grid = grid ?? CliOptions.Grid();
        Epochs = CliOptions.Positive("--epochs", "training epochs", defaultEpochs, 100000);
        Test = CliOptions.Positive("--test", "test on the first N test images", defaultTest, 10000);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Seed, NumKernels, Grid, Epochs, Batch, LearningRate, Train, Test, Threads, Data, Dataset, NumPyExp })
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (!TryGetValue(result, Batch, out int batch) || !TryGetValue(result, Train, out int train))
                return; // a value that failed to parse is already reported
            if (batch > train)
                result.AddError($"--batch ({batch}) must not exceed --train ({train}): no batch would be trained");
        });
    }

    /// <summary>System.CommandLine throws when asked for a value whose parse failed; this asks without throwing.</summary>
    static bool TryGetValue(System.CommandLine.Parsing.CommandResult result, Option<int> option, out int value)
    {
        try
        {
            value = result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = 0;
            return false;
        }
    }

    /// <summary>The np.exp the run mirrors: forced by --numpy-exp, else the one NumPy runs on this CPU.</summary>
    public NumPyExpChoice Exp(ParseResult parsed) =>
        parsed.GetValue(NumPyExp) is { } name ? NumPyExpDispatch.Forced(name) : NumPyExpDispatch.Detected;
}
