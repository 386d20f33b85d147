using System.CommandLine;
using CnnParity.Cli.Options;
using CnnParity.Core.Architecture;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity arch SPEC`: the layer table of a spec (output shape, parameters, multiply-adds per image), or one line and
/// exit 2 naming the layer that cannot be built.
/// </summary>
public static class ArchCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec")
        {
            Description = $"a preset ({string.Join(", ", ArchitecturePresets.Names)}), a spec such as \"conv(c=4,k=3) relu flatten dense(10)\", or a file holding one",
        };
        var kernels = CliOptions.Positive("--kernels", "num_kernels of ch10", 4, 1024);
        var grid = CliOptions.Grid();
        var command = new Command("arch", "Print a spec's layers: output shape, parameters, multiply-adds per image.");
        command.Arguments.Add(spec);
        command.Options.Add(kernels);
        command.Options.Add(grid);
        command.SetAction(parsed =>
        {
            var architecture = SpecSource.Read(parsed.GetValue(spec)!, parsed.GetValue(kernels), parsed.GetValue(grid));
            Console.Write(LayerTable.Render(architecture));
            return 0;
        });
        return command;
    }
}
