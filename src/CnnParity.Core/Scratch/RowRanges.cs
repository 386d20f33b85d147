namespace CnnParity.Core.Scratch;

/// <summary>
/// Splits independent output rows across threads. Only whole outputs are split, never a sum, so the
/// bits do not depend on the thread count.
/// </summary>
internal static class RowRanges
{
    /// <summary>Runs <paramref name="body"/>(start, end) over contiguous slices of [0, count).</summary>
    public static void For(int count, int threads, Action<int, int> body)
    {
        int parts = Math.Min(threads, count);
        if (parts <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int start = (int)((long)count * part / parts);
            int end = (int)((long)count * (part + 1) / parts);
            body(start, end);
        });
    }
}
