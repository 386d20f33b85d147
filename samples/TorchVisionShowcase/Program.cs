using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TorchVisionShowcase;

/// <summary>
/// For each model and mode (eval, train): torch_golden.py writes the golden from torchvision 0.14 (float32 with
/// its float64 shadow), then a child process of this program holds TorchVision 0.107's .NET model against it
/// (a crash stays in the child and is recorded with its signal). Writes README.md and torchvision.json.
/// </summary>
static class Program
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    static int Main(string[] args)
    {
        if (args is ["--one", var name, var golden, var json]) return OneModel.Run(name, golden, json);
        var options = Options.Parse(args is ["--rewrite"] ? [] : args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: TorchVisionShowcase [--models a,b] [--modes eval,train] [--steps K] [--lr LR] [--out DIR] | --rewrite");
            return 2;
        }
        if (args is ["--rewrite"]) // the Markdown again from torchvision.json, nothing run
        {
            Report.Write(options, [], "");
            return 0;
        }
        string repo = RepositoryRoot();
        string writer = Path.Combine(repo, "reference", "torch_golden.py");
        string work = Directory.CreateTempSubdirectory("torchvision-showcase-").FullName;
        Directory.CreateDirectory(Path.Combine(options.Out, "models"));
        var rows = new List<JsonObject>();
        string command = string.Join(' ', ["dotnet run --project samples/TorchVisionShowcase -c Release --", .. args]);
        try
        {
            foreach (var model in options.Models)
                foreach (var mode in options.Modes)
                {
                    var row = RunOne(model, mode, options, writer, work);
                    rows.Add(row);
                    Console.WriteLine($"{model.Name} {mode}: {row["verdict"]} ({row["detail"]})");
                    Report.Write(options, rows, command); // after each model: a long run stopped early keeps what it measured
                }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    static JsonObject RunOne(ShowcaseModel model, string mode, Options options, string writer, string work)
    {
        int steps = options.Steps;
        string outDir = options.Out;
        string golden = Path.Combine(work, $"{model.Name}-{mode}.npz"), json = Path.Combine(work, $"{model.Name}-{mode}.json");
        var row = new JsonObject { ["model"] = model.Name, ["mode"] = mode, ["input"] = model.InputShape, ["steps"] = steps, ["lr"] = options.LearningRate };
        var clock = Stopwatch.StartNew();
        List<string> python = [writer, $"torchvision.models:{model.Name}", "--kwargs", model.Kwargs, "--input-shape", model.InputShape,
            "--classes", "10", "--steps", steps.ToString(Inv), "--lr", options.LearningRate.ToString("R", Inv), "--out", golden];
        if (mode == "train") python.Add("--train-mode");
        var (code, error) = Execute("/usr/bin/python3", python);
        row["goldenSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        if (code != 0)
            return Verdict(row, "ERROR", $"torch_golden.py exited {code}: {LastLine(error)}");
        row["goldenMB"] = new FileInfo(golden).Length / 1_000_000;
        clock.Restart();
        // This program again, by its apphost or by dotnet with its assembly.
        string host = Environment.ProcessPath!;
        string[] self = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(Program).Assembly.Location] : [];
        (code, error) = Execute(host, [.. self, "--one", model.Name, golden, json]);
        row["dotnetSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        File.Delete(golden);
        if (code >= 128) // .NET reports a process killed by signal s as 128 + s
            return Verdict(row, "CRASH", $"the .NET process died of signal {code - 128} ({SignalName(code - 128)}): {LastLine(error)}");
        if (!File.Exists(json)) return Verdict(row, "ERROR", $"exit {code}: {LastLine(error)}");
        var result = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Summary.Fill(row, result["result"]!.AsObject());
        row["dotnetSeconds"] = result["seconds"]!.GetValue<double>();
        File.Copy(Path.ChangeExtension(json, ".md"), Path.Combine(outDir, "models", $"{model.Name}-{mode}.md"), overwrite: true);
        return row;
    }

    static JsonObject Verdict(JsonObject row, string verdict, string detail)
    {
        row["verdict"] = verdict;
        row["detail"] = detail;
        return row;
    }

    static (int Code, string Error) Execute(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error + output.Result);
    }

    static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL", 6 => "SIGABRT", 7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL (out of memory?)", 11 => "SIGSEGV",
        _ => "signal " + signal.ToString(Inv),
    };

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CnnParity.sln"))) return dir.FullName;
        throw new InvalidOperationException("run from the repository: no CnnParity.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>The command line: which models, which modes, how many steps, where to write.</summary>
sealed record Options(IReadOnlyList<ShowcaseModel> Models, IReadOnlyList<string> Modes, int Steps, double LearningRate, string Out)
{
    public static Options? Parse(string[] args)
    {
        var models = TorchVisionShowcase.Models.All;
        IReadOnlyList<string> modes = ["eval", "train"];
        int steps = 2;
        // 0.001: in eval mode a fresh batch norm does not normalise (running variance 1), deep ResNets start at a
        // loss of ~23, and a step of 0.01 or more sends them to 1e4–1e18 and NaN: nothing left to compare.
        double learningRate = 0.001;
        string output = "reports/torchvision";
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--models" when value is not null:
                    var names = value.Split(',');
                    if (names.Any(n => TorchVisionShowcase.Models.All.All(m => m.Name != n))) return null;
                    models = [.. TorchVisionShowcase.Models.All.Where(m => names.Contains(m.Name))];
                    break;
                case "--modes" when value is not null && value.Split(',').All(m => m is "eval" or "train"):
                    modes = value.Split(',');
                    break;
                case "--steps" when int.TryParse(value, CultureInfo.InvariantCulture, out steps) && steps >= 0:
                    break;
                case "--lr" when double.TryParse(value, CultureInfo.InvariantCulture, out learningRate) && learningRate > 0:
                    break;
                case "--out" when value is not null:
                    output = value;
                    break;
                default:
                    return null;
            }
            i++;
        }
        return new Options(models, modes, steps, learningRate, output);
    }
}
