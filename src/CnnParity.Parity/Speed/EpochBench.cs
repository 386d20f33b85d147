using System.Diagnostics;

namespace CnnParity.Parity.Speed;

/// <summary>
/// Times several implementations in one process, interleaved (A B C, A B C, ...) so that a change in machine
/// load hits all of them alike; the first round is a warm-up and is not recorded.
/// </summary>
public static class EpochBench
{
    /// <summary>Epochs <see cref="Run"/> runs: a warm-up round and <paramref name="repetitions"/> measured ones.</summary>
    public static int Epochs(int workloads, int repetitions) => workloads * (repetitions + 1);

    /// <param name="onEpoch">called after each epoch, warm-up included, with what ran ("round 2: scratch (fast, f64)")</param>
    public static IReadOnlyList<EpochTimings> Run(IReadOnlyList<EpochWorkload> workloads, int repetitions, Action<string>? onEpoch = null)
    {
        var train = workloads.Select(_ => new List<double>()).ToArray();
        var test = workloads.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round <= repetitions; round++)
        {
            for (int i = 0; i < workloads.Count; i++)
            {
                var (tr, te) = workloads[i].RunEpoch();
                onEpoch?.Invoke(round == 0 ? $"warm-up: {workloads[i].Implementation}" : $"round {round}: {workloads[i].Implementation}");
                if (round == 0) continue; // warm-up: JIT, first-touch allocation, thread pools
                train[i].Add(tr);
                test[i].Add(te);
            }
        }
        return workloads.Select((w, i) => new EpochTimings(w.Implementation, train[i], test[i], w.InferenceOnly)).ToList();
    }

    /// <summary>Seconds a call takes.</summary>
    public static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
