namespace CnnParity.Core.NumPy.Simd;

/// <summary>
/// NumPy's <c>lut16x18</c> (18 rows of 16 intervals: B, C0..C16) in the two orders the SIMD kernels read it.
/// The numbers themselves live in one place, <see cref="NumPyTanh"/>; they are read from there.
/// </summary>
internal static class TanhTable
{
    public const int Rows = 18;
    public const int Intervals = 16;

    /// <summary>Interval-major: entry <c>[interval * 18 + row]</c>.</summary>
    public static double[] ByInterval() => (double[])NumPyTanh.ByInterval.Clone();

    /// <summary>Row-major: entry <c>[row * 16 + interval]</c>, the layout of NumPy's <c>lut16x18</c>.</summary>
    public static double[] ByRow()
    {
        double[] byInterval = ByInterval();
        var table = new double[Rows * Intervals];
        for (int idx = 0; idx < Intervals; idx++)
        {
            for (int row = 0; row < Rows; row++)
            {
                table[row * Intervals + idx] = byInterval[idx * Rows + row];
            }
        }
        return table;
    }
}
