using System.Runtime.ExceptionServices;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>A unit of parallel work split into numbered parts; each part writes outputs no other part writes.</summary>
internal interface IPartitionedJob
{
    /// <summary>Does part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    void Execute(int part, int parts);
}

/// <summary>
/// Runs the parts of a job on the calling thread and on thread-pool threads, without allocating: the work items
/// are made once and reused, so a training batch allocates nothing. Which thread runs which part never changes a
/// result, because a part is a fixed set of whole outputs (never a piece of a sum); the part count is the only
/// input, and results do not depend on it either (the tests run 1, 2 and 4).
/// </summary>
internal sealed class WorkerTeam
{
    private readonly Part[] _parts;
    private readonly ManualResetEventSlim _done = new(false);
    private IPartitionedJob? _job;
    private int _count;
    private int _pending;
    private Exception? _failure;

    public WorkerTeam(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads));
        }
        Threads = threads;
        _parts = new Part[threads];
        for (int i = 0; i < threads; i++)
        {
            _parts[i] = new Part(this, i);
        }
    }

    public int Threads { get; }

    /// <summary>Runs parts 0..<paramref name="parts"/>-1 (at most <see cref="Threads"/>) and returns when all have finished.</summary>
    public void Run(IPartitionedJob job, int parts)
    {
        parts = Math.Clamp(parts, 1, Threads);
        if (parts == 1)
        {
            job.Execute(0, 1);
            return;
        }
        lock (_parts) // one job at a time per team
        {
            _job = job;
            _count = parts;
            _failure = null;
            _pending = parts - 1;
            _done.Reset();
            for (int i = 1; i < parts; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_parts[i], preferLocal: false);
            }
            try
            {
                job.Execute(0, parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            _done.Wait();
            _job = null;
            if (_failure is { } failure)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
    }

    private void Execute(int index)
    {
        try
        {
            _job!.Execute(index, _count);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }

    private sealed class Part(WorkerTeam team, int index) : IThreadPoolWorkItem
    {
        public void Execute() => team.Execute(index);
    }

    /// <summary>
    /// Hands out [0, count) in chunks to whichever part asks next, so that a thread slowed down by another process
    /// does less of the work instead of holding the others up. Which thread computes a chunk changes no bit: a chunk
    /// is a set of whole outputs.
    /// </summary>
    public struct Chunks
    {
        private int _next;
        private int _count;
        private int _size;

        public void Reset(int count, int size)
        {
            _count = count;
            _size = Math.Max(1, size);
            Volatile.Write(ref _next, 0);
        }

        /// <summary>The next chunk [start, end), or false when all are taken.</summary>
        public bool Next(out int start, out int end)
        {
            start = Interlocked.Add(ref _next, _size) - _size;
            end = Math.Min(start + _size, _count);
            return start < _count;
        }
    }
}
