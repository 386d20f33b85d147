using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>`cnnparity arch`: the layer table of a good spec; for each kind of bad spec, exit 2 and one line.</summary>
public sealed class ArchCommandTests : IDisposable
{
    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    [Fact]
    public void IssueSpecPrintsItsShapes()
    {
        var result = CliProcess.Run(work.Path, "arch", "conv(c=4,k=2,s=2) relu conv(c=8,k=3,p=1) tanh maxpool(k=3,s=2) flatten dense(32) tanh dense(10)");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.StdErr);
        Assert.Contains(result.OutputLines, l => l.StartsWith("5  maxpool1  maxpool(k=3,s=2)   8x6x6", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("6  flatten   flatten            288", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.Contains("total") && l.EndsWith("9,894         69,120", StringComparison.Ordinal));
    }

    [Fact]
    public void Chapter10TakesItsKernelsAndGrid()
    {
        var result = CliProcess.Run(work.Path, "arch", "ch10", "--kernels", "16", "--grid", "25");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.OutputLines, l => l.Contains("crop(25x25)") && l.Contains("16x25x25"));
    }

    /// <summary>One spec of each kind of mistake (tests/CnnParity.Core.Tests/Architecture/BadSpecTests checks the messages in full).</summary>
    public static TheoryData<string, string> OneOfEachKind => new()
    {
        { "conv(c=4,k=3) softmax flatten dense(10)", "spec layer 2 'softmax': unknown layer 'softmax'" },
        { "conv(c=4,k=3,d=2) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,d=2)': unknown key 'd'" },
        { "conv(c=4,k=3,s=3) conv(c=8,k=11) flatten dense(10)", "spec layer 2 'conv(c=8,k=11)': kernel 11 is larger than its 9x9 input" },
        { "conv(c=0,k=3) flatten dense(10)", "spec layer 1 'conv(c=0,k=3)': c must be a positive integer, got 0" },
        { "conv(c=4,k=3,s=-2) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,s=-2)': s must be a positive integer, got -2" },
        { "conv(c=4,k=3) flatten maxpool(k=2) dense(10)", "spec layer 3 'maxpool(k=2)': maxpool needs an image" },
        { "conv(c=4,k=3) relu dense(10)", "spec layer 3 'dense(10)': dense needs a vector, but its input is the image 4x26x26: put flatten before it" },
        { "conv(c=4,k=3) flatten dense(32)", "spec layer 3 'dense(32)': the last layer must be dense(10)" },
        { "conv(c=4,k=3) dropout(p=1.5) flatten dense(10)", "spec layer 2 'dropout(p=1.5)': p must be in [0, 1), got 1.5" },
        { "conv(c=4,k=3 flatten dense(10)", "'(' is never closed" },
        { "conv(c=4) flatten dense(10)", "spec layer 1 'conv(c=4)': conv needs k=" },
        { "flatten flatten dense(10)", "spec layer 2 'flatten': its input is already a vector" },
        { "conv(c=4,k=3) gap gap flatten dense(10)", "spec layer 3 'gap': gap is given twice" },
        { "batchnorm conv(c=4,k=3) flatten dense(10)", "spec layer 1 'batchnorm': batchnorm needs a conv or dense layer before it" },
        { "conv(c=4,k=3) conv(c=6,k=3,g=4) flatten dense(10)", "spec layer 2 'conv(c=6,k=3,g=4)': g=4 does not divide the 4 input and 6 output channels" },
    };

    [Theory]
    [MemberData(nameof(OneOfEachKind))]
    public void BadSpecIsOneLineAndExitTwo(string spec, string phrase)
    {
        var result = CliProcess.Run(work.Path, "arch", spec);

        CliAssert.OneLineError(result, 2, phrase);
        Assert.Empty(result.StdOut);
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }
}
