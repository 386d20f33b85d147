using PortCheck;

namespace CnnParity.Testing.Tests;

/// <summary>Renames and ignores with patterns, for what alignment by value cannot settle; the writer found beside the binaries.</summary>
public class ParityOptionsTests
{
    static readonly string GoldenPath = Repository.PathOf("samples", "PortCheck", "goldens", "lenet5.npz");

    [Theory]
    [InlineData("*.relu", "*.relu1", "layer1.0.relu", "layer1.0.relu1")]
    [InlineData("layer?.*.relu#2", "layer?.*", "layer3.1.relu#2", "layer?.1")]
    [InlineData("fc", "classifier", "fc", "classifier")]
    [InlineData("fc", "classifier", "fc1", null)]
    public void ARenamePatternCarriesWhatItsStarsMatched(string pattern, string replacement, string name, string? renamed) =>
        Assert.Equal(renamed, Glob.Rename(new Dictionary<string, string> { [pattern] = replacement }, name));

    [Fact]
    public void IgnoredNamesAreLeftOutAndCounted()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new LeNet5();
        var result = ModuleParity.Compare(port, golden, new ParityOptions { Ignore = ["fc3*", "act?"] });
        Assert.True(result.Pass, result.ToMarkdown());
        Assert.DoesNotContain(result.Checks, c => c.Name.StartsWith("fc3", StringComparison.Ordinal) || c.Name.StartsWith("act", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.StartsWith("Ignored as asked: ", StringComparison.Ordinal));
    }

    [Fact]
    public void ARenameSendsAGoldenOutputToThePortsName()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new LeNet5();
        // act1 and pool1 differ in shape; renamed onto pool1, act1 must fail with the shape named.
        var result = ModuleParity.Compare(port, golden, new ParityOptions { Rename = new Dictionary<string, string> { ["act1"] = "pool1" } });
        Assert.Equal("act1", result.FirstFailure!.Name);
        Assert.Equal("shape (4, 6, 14, 14), expected (4, 6, 28, 28)", result.FirstFailure.Problem);
    }

    [Fact]
    public void TheWriterScriptIsTheRepositorysOneSource()
    {
        Assert.Equal(File.ReadAllText(Repository.PathOf("reference", "torch_golden.py")), File.ReadAllText(TorchGolden.WriterScript));
    }
}
