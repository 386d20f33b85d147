namespace CnnParity.Reports;

/// <summary>
/// The last line the book printed for its CNN (16 kernels, 3x3, 25x25 positions): "I:299 Test-Acc:0.8774 Train-Acc:0.814".
/// A reference to read beside our runs of the same configuration, not a check.
/// </summary>
public static class BookPrintedRun
{
    public const int NumKernels = 16;
    public const int Grid = 25;
    public const int Epoch = 299;
    public const double TestAcc = 0.8774;
    public const double TrainAcc = 0.814;
    public const string Line = "I:299 Test-Acc:0.8774 Train-Acc:0.814";

    /// <summary>Only the book's configuration is comparable with the printed run.</summary>
    public static bool AppliesTo(int numKernels, int grid) => numKernels == NumKernels && grid == Grid;
}
