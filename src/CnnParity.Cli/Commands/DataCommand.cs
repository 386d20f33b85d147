using System.CommandLine;

namespace CnnParity.Cli.Commands;

/// <summary>`cnnparity data fetch|verify|info`: placeholder until the data layer lands.</summary>
public static class DataCommand
{
    public static Command Create() => new("data", "Fetch, verify and describe the MNIST files.");
}
