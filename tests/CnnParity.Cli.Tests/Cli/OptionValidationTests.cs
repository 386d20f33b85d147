using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// Every option the CLI takes, given a bad value: exit 2, one line naming the option and the value, no stack
/// trace, and the report already in ./reports (the default --out) left byte for byte as it was. None of these
/// runs gets as far as loading data.
/// </summary>
public sealed class OptionValidationTests : IDisposable
{
    readonly TempFolder work = new();
    readonly PreviousReport previous;

    public OptionValidationTests() => previous = new PreviousReport(Path.Combine(work.Path, "reports"));

    public void Dispose() => work.Dispose();

    /// <summary>
    /// Command line (split on spaces; {file} is a regular file, {reports} the folder of the previous report) and
    /// the phrase the error line must contain.
    /// </summary>
    public static TheoryData<string, string> BadOptions => new()
    {
        { "report --epochs 0", "--epochs must be a positive integer, got 0" },
        { "report --epochs -3", "--epochs must be a positive integer, got -3" },
        { "report --epochs many", "--epochs must be a positive integer, got 'many'" },
        { "report --batch 0", "--batch must be a positive integer, got 0" },
        { "report --batch 1.5", "--batch must be a positive integer, got '1.5'" },
        { "report --kernels 0", "--kernels must be a positive integer, got 0" },
        { "report --kernels 2000", "--kernels must be at most 1024, got 2000" },
        { "report --train 0", "--train must be a positive integer, got 0" },
        { "report --train 70000", "--train must be at most 60000, got 70000" },
        { "report --test 0", "--test must be a positive integer, got 0" },
        { "report --test 10001", "--test must be at most 10000, got 10001" },
        { "report --threads 0", "--threads must be a positive integer, got 0" },
        { "report --threads -2", "--threads must be a positive integer, got -2" },
        { "report --batch 300 --train 256", "--batch (300) must not exceed --train (256)" },
        { "report --batch x --train 256", "--batch must be a positive integer, got 'x'" },
        // A 3x3 kernel on a 28x28 image has 26 positions per side: the grid is where a kernel too large shows.
        { "report --grid 27", "--grid must be 25 or 26, got 27" },
        { "report --grid 0", "--grid must be 25 or 26, got 0" },
        { "report --dataset cifar10", "--dataset must be one of mnist, fashion-mnist, got 'cifar10'" },
        { "report --lr nan", "--lr must be a finite positive number, got 'nan'" },
        { "report --lr NaN", "--lr must be a finite positive number, got 'NaN'" },
        { "report --lr inf", "--lr must be a finite positive number, got 'inf'" },
        { "report --lr Infinity", "--lr must be a finite positive number, got 'Infinity'" },
        { "report --lr -1", "--lr must be a finite positive number, got '-1'" },
        { "report --lr 0", "--lr must be a finite positive number, got '0'" },
        { "report --lr 1e400", "--lr must be a finite positive number, got '1e400'" },
        { "report --seed -1", "--seed must be between 0 and 2147483647, got -1" },
        { "report --bench-reps -1", "--bench-reps must be between 0 and 100, got -1" },
        { "report --numpy-test 0", "--numpy-test must be a positive integer, got 0" },
        { "report --numpy-exp mkl", "--numpy-exp must be one of svml, libm, got 'mkl'" },
        { "train --numpy-exp SVML", "--numpy-exp must be one of svml, libm, got 'SVML'" },
        { "bench --numpy-exp glibc", "--numpy-exp must be one of svml, libm, got 'glibc'" },
        { "parity --json p.json --numpy-exp", "Required argument missing for option: '--numpy-exp'" },
        { "report --out {file}/reports", "cannot write the report to '{file}/reports'" },
        { "report --no-such-option", "Unrecognized command or argument '--no-such-option'" },
        { "train --mode sideways", "--mode must be one of book, corrected, got 'sideways'" },
        { "train --impl keras", "--impl must be one of scratch, twin, got 'keras'" },
        { "train --impl idiomatic", "--impl must be one of scratch, twin, got 'idiomatic'" },
        { "train --dtype f16", "--dtype must be one of f64, f32, got 'f16'" },
        { "train --epochs 0", "--epochs must be a positive integer, got 0" },
        { "train --lr inf", "--lr must be a finite positive number, got 'inf'" },
        { "train --metrics-out {file}/metrics.json", "--metrics-out '{file}/metrics.json' cannot be written" },
        { "train --metrics-out {reports}", "--metrics-out '{reports}' is a folder, not a file" },
        { "parity", "Option '--json' is required" },
        { "parity --json p.json --dtype bf16", "--dtype must be one of f64, f32, got 'bf16'" },
        { "parity --json p.json --kernels -4", "--kernels must be a positive integer, got -4" },
        { "parity --json {file}/parity.json", "--json '{file}/parity.json' cannot be written" },
        { "data info --dataset cifar10", "unknown dataset 'cifar10'" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionIsOneLineAndExitTwo(string commandLine, string phrase)
    {
        string file = work.Write("a-regular-file", [1, 2, 3]);
        string Expand(string s) => s.Replace("{file}", file).Replace("{reports}", previous.Folder);

        var result = CliProcess.Run(work.Path, Expand(commandLine).Split(' '));

        CliAssert.OneLineError(result, 2, Expand(phrase));
        previous.AssertUntouched(result);
        Assert.Empty(result.StdOut);
    }
}
