using System.Diagnostics;
using System.Runtime.CompilerServices;
using CnnParity.Core.NumPy.Simd;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>What <see cref="MultiplyAddPeak.Measure"/> found: the best rate of one thread while all ran at once.</summary>
/// <param name="PerSecondPerThread">multiply-adds (one rounded multiply and one rounded add, per lane) per second per thread</param>
/// <param name="Width">the vector width measured: the fast path's</param>
/// <param name="Threads">how many threads ran the measurement side by side</param>
public sealed record MultiplyAddRate(double PerSecondPerThread, VectorWidth Width, int Threads);

/// <summary>
/// Measures this machine's peak rate of the fast path's one arithmetic step, <c>sum += a * b</c> with a rounded multiply
/// and a rounded add (never fused), at the fast path's vector width and on the fast path's threads
/// (<see cref="WorkerTeam"/>, all running at once, so that cores that share a clock budget or a physical core are measured
/// as they run the real work). It is the yardstick of the compute floor: the time an epoch would take if its sums were
/// the only work and ran at this rate.
/// <para>
/// The loop keeps <see cref="Chains"/> independent sums per thread, each adding a product of a value loaded from a small
/// buffer (L1-resident, as the kernels' weights are) and a constant: the products do not wait on anything, the adds wait
/// only on their own chain, and eight chains cover an add's latency on the two add ports of current x86 cores. A few
/// short trials, the best one kept: a peak is what the machine can do, and a trial slowed by another process shows less.
/// </para>
/// </summary>
public static unsafe class MultiplyAddPeak
{
    /// <summary>Independent sums per thread.</summary>
    public const int Chains = 8;

    /// <summary>Vectors in the buffer the products read: one pass adds each once.</summary>
    public const int BufferVectors = 64;

    /// <summary>
    /// The multiplier: small, so the sums grow slowly and stay far from overflow; not a power of two, so each product is
    /// rounded and a fused multiply-add would give other sums (the tests would see one).
    /// </summary>
    public const double Multiplier = 0.001;

    /// <summary>Trials per measurement; the best is kept.</summary>
    public const int Trials = 5;

    private static readonly TimeSpan TrialLength = TimeSpan.FromMilliseconds(20);

    /// <summary>How the rate is measured, in a reader's words (the reports quote it).</summary>
    public static string Method { get; } =
        $"best of {Trials} short trials of sum += a × b (a rounded multiply and a rounded add, never fused) in {Chains} independent " +
        "sums per thread, at the fast path's vector width, on the floor's threads at once";

    /// <summary>Multiply-adds (per lane) in <paramref name="passes"/> passes at <paramref name="width"/>.</summary>
    public static double MultiplyAdds(long passes, VectorWidth width) => (double)passes * BufferVectors * Lanes(width);

    /// <summary>The best per-thread rate over a few short trials on <paramref name="threads"/> threads at once.</summary>
    public static MultiplyAddRate Measure(int threads) => Measure(threads, VectorWidths.Native);

    /// <summary>The same at a width of the caller's choosing.</summary>
    internal static MultiplyAddRate Measure(int threads, VectorWidth width)
    {
        var team = new WorkerTeam(threads);
        var job = new TrialJob(width, threads);
        // Size a trial from one short run, so that a trial is long enough to time and short enough to be cheap.
        job.Passes = 64;
        team.Run(job, threads);
        double seconds = Math.Max(job.Seconds.Max(), 1e-6);
        job.Passes = Math.Max(64, (long)(job.Passes * TrialLength.TotalSeconds / seconds));
        double best = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            team.Run(job, threads);
            double perThread = job.Seconds.Average(s => MultiplyAdds(job.Passes, width) / s);
            best = Math.Max(best, perThread);
        }
        return new MultiplyAddRate(best, width, threads);
    }

    /// <summary>
    /// Runs <paramref name="passes"/> passes of the loop over <paramref name="buffer"/> (<see cref="BufferVectors"/> vectors)
    /// from sums <paramref name="sums"/> (<see cref="Chains"/> vectors), which hold the final sums afterwards.
    /// </summary>
    internal static void Run(VectorWidth width, double* buffer, double* sums, long passes)
    {
        if (width == VectorWidth.Bits512)
        {
            Run<Lanes8>(buffer, sums, passes);
        }
        else
        {
            Run<Lanes4>(buffer, sums, passes);
        }
    }

    /// <summary>The same over arrays (a buffer from <see cref="Buffer"/>, <see cref="Chains"/> vectors of sums).</summary>
    internal static void Run(VectorWidth width, double[] buffer, double[] sums, long passes)
    {
        if (buffer.Length != BufferVectors * Lanes(width) || sums.Length != Chains * Lanes(width))
        {
            throw new ArgumentException("the buffer or the sums do not fit the width");
        }
        fixed (double* b = buffer, s = sums)
        {
            Run(width, b, s, passes);
        }
    }

    internal static int Lanes(VectorWidth width) => width == VectorWidth.Bits512 ? Lanes8.Count : Lanes4.Count;

    // Optimised from the first call: a calibration runs only a few times, too few for tiered compilation to reach its
    // optimised code, and unoptimised code would measure the JIT rather than the machine.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TLanes>(double* buffer, double* sums, long passes) where TLanes : struct, ILanes<TLanes>
    {
        int w = TLanes.Count;
        TLanes m = TLanes.Broadcast(Multiplier);
        TLanes s0 = TLanes.Load(sums), s1 = TLanes.Load(sums + w), s2 = TLanes.Load(sums + 2 * w), s3 = TLanes.Load(sums + 3 * w);
        TLanes s4 = TLanes.Load(sums + 4 * w), s5 = TLanes.Load(sums + 5 * w), s6 = TLanes.Load(sums + 6 * w), s7 = TLanes.Load(sums + 7 * w);
        double* end = buffer + BufferVectors * w;
        for (long pass = 0; pass < passes; pass++)
        {
            for (double* p = buffer; p < end; p += Chains * w)
            {
                s0 += TLanes.Load(p) * m;
                s1 += TLanes.Load(p + w) * m;
                s2 += TLanes.Load(p + 2 * w) * m;
                s3 += TLanes.Load(p + 3 * w) * m;
                s4 += TLanes.Load(p + 4 * w) * m;
                s5 += TLanes.Load(p + 5 * w) * m;
                s6 += TLanes.Load(p + 6 * w) * m;
                s7 += TLanes.Load(p + 7 * w) * m;
            }
        }
        s0.Store(sums);
        s1.Store(sums + w);
        s2.Store(sums + 2 * w);
        s3.Store(sums + 3 * w);
        s4.Store(sums + 4 * w);
        s5.Store(sums + 5 * w);
        s6.Store(sums + 6 * w);
        s7.Store(sums + 7 * w);
    }

    /// <summary>The values a trial's products read: between 1 and 2, all different.</summary>
    internal static double[] Buffer(VectorWidth width)
    {
        var values = FastBatch.Pinned<double>(BufferVectors * Lanes(width));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = 1 + (i + 1) / (double)(values.Length + 1);
        }
        return values;
    }

    /// <summary>One trial on every part at once: each part times its own passes over its own buffer.</summary>
    private sealed class TrialJob(VectorWidth width, int parts) : IPartitionedJob
    {
        private readonly double[][] _buffers = Enumerable.Range(0, parts).Select(_ => Buffer(width)).ToArray();
        private readonly double[][] _sums = Enumerable.Range(0, parts).Select(_ => FastBatch.Pinned<double>(Chains * Lanes(width))).ToArray();

        public long Passes;

        public double[] Seconds { get; } = new double[parts];

        public void Execute(int part, int count)
        {
            var clock = Stopwatch.StartNew();
            Run(width, FastBatch.Address(_buffers[part]), FastBatch.Address(_sums[part]), Passes);
            Seconds[part] = clock.Elapsed.TotalSeconds;
        }
    }
}
