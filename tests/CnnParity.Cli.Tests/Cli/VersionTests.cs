using System.Text.RegularExpressions;
using CnnParity.Reports.Pipeline;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// `cnnparity --version` prints the SemVer that MinVer derives from git (at least 0.2, the floor set in
/// Directory.Build.props for a history without tags) with the commit id, the same string the reports record.
/// </summary>
public sealed partial class VersionTests
{
    [Fact]
    public void VersionIsTheBuildsSemVerWithItsCommit()
    {
        var result = CliProcess.Run(Path.GetTempPath(), "--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        string version = Assert.Single(result.OutputLines);
        Assert.Empty(result.StdErr);
        var semver = SemVer().Match(version);
        Assert.True(semver.Success, $"not a SemVer with build metadata: {version}");
        Assert.True((int.Parse(semver.Groups["major"].Value), int.Parse(semver.Groups["minor"].Value)).CompareTo((0, 2)) >= 0, version);
        Assert.Equal(ReportEnvironmentProbe.CnnParityVersion, version);
    }

    // major.minor.patch, an optional pre-release (MinVer: alpha.0.<height>), and the 40-hex commit as build metadata.
    [GeneratedRegex(@"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?\+[0-9a-f]{40}$")]
    private static partial Regex SemVer();
}
