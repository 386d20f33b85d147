using System.CommandLine;
using CnnParity.Core.Architecture;

namespace CnnParity.Cli.Options;

/// <summary>--arch and ch10's --kernels and --grid, for the commands that take any spec.</summary>
public sealed class ArchOptions
{
    public Option<string> Arch { get; } = CliOptions.Arch();

    public Option<int> NumKernels { get; } = CliOptions.Positive("--kernels", "num_kernels of ch10: 4 in the seed notebook, 16 in the book", 4, 1024);
    public Option<int> Grid { get; } = CliOptions.Grid();

    public void AddTo(Command command)
    {
        command.Options.Add(Arch);
        command.Options.Add(NumKernels);
        command.Options.Add(Grid);
    }

    /// <summary>The spec, or one line and exit 2 naming what is wrong with it.</summary>
    public ArchitectureSpec Spec(ParseResult parsed) =>
        SpecSource.Read(parsed.GetValue(Arch)!, parsed.GetValue(NumKernels), parsed.GetValue(Grid));
}
