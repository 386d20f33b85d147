using System.CommandLine;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Specs;
using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity report merge A.json B.json ... --out DIR`: joins the spec parity files of a grid's shards (or of several
/// --arch runs) into DIR/grid-report.md and DIR/grid-report.json (which can be merged again). Exit 0 when the merged
/// report passes (every spec passed, none missing), 1 when it fails, 2 when a file cannot be read or the files do not
/// belong together (nothing written).
/// </summary>
public static class ReportMergeCommand
{
    public const string MarkdownFile = "grid-report.md", JsonFile = "grid-report.json";

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "spec parity JSON files written by parity --grid or --arch", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "folder for grid-report.md and grid-report.json", Required = true };
        var command = new Command("merge", "Join the JSON files of a grid's shards into one report (Markdown and JSON).");
        command.Arguments.Add(files);
        command.Options.Add(output);
        command.SetAction(parsed =>
        {
            string outDir = parsed.GetValue(output)!;
            var parts = parsed.GetValue(files)!.Select(path => (path, SpecParityJson.Read(path))).ToList();
            SpecParityReport merged = GridMerge.Merge(parts);
            ReportFolder.CheckWritable(outDir);
            string folder = ReportFolder.WriteAll(outDir,
            [
                new ReportFile(MarkdownFile, SpecParityMarkdown.Render(merged)),
                new ReportFile(JsonFile, SpecParityJson.Render(merged)),
            ]);
            int passed = merged.Results.Count(r => r.Passed);
            Console.WriteLine($"{merged.Verdict}: {passed} of {merged.Results.Count} specs passed; {Path.Combine(folder, MarkdownFile)}, {Path.Combine(folder, JsonFile)}");
            foreach (string reason in merged.Reasons) Console.WriteLine($"  {reason}");
            return merged.Passed ? 0 : 1;
        });
        return command;
    }
}
