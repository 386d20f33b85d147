using CnnParity.Core.NumPy.Simd;

namespace CnnParity.Core.Scratch.Fast;

public sealed unsafe partial class FastNetwork
{
    // Copies the compact values of the listed positions (K per position) into a full hidden row, zeros elsewhere.
    private static void Scatter(double* values, int* positions, int count, int kernelCount, double* row, int hidden)
    {
        new Span<double>(row, hidden).Clear();
        ScatterListed(values, positions, count, kernelCount, row);
    }

    // The same without the zeros: the other positions keep whatever they held.
    private static void ScatterListed(double* values, int* positions, int count, int kernelCount, double* row)
    {
        for (int q = 0; q < count; q++)
        {
            new ReadOnlySpan<double>(values + q * kernelCount, kernelCount).CopyTo(new Span<double>(row + positions[q] * kernelCount, kernelCount));
        }
    }

    /// <summary>The training forward pass, split by image.</summary>
    private sealed class ForwardJob(FastNetwork network) : IPartitionedJob
    {
        public FastBatch? Batch;
        public double* Kernels;
        public double* Weights;
        public bool Skip;
        public bool StoreTanh;

        public WorkerTeam.Chunks Images;

        public void Execute(int part, int parts)
        {
            FastBatch b = Batch!;
            ScratchConfig config = network.Config;
            var source = new ForwardSource
            {
                Batch = b,
                Config = config,
                Kernels = Kernels,
                Skip = Skip,
                StoreTanh = StoreTanh,
                All = network._allPositions,
                Width = network.Width,
            };
            while (Images.Next(out int first, out int end))
            {
                if (network.Width == VectorWidth.Bits512)
                {
                    PairedLogits.Run<ForwardSource, LogitSums8>(ref source, first, end, config.NumKernels, Weights, FastBatch.Address(b.Logits), network.Workspace(part));
                }
                else
                {
                    PairedLogits.Run<ForwardSource, LogitSums4>(ref source, first, end, config.NumKernels, Weights, FastBatch.Address(b.Logits), network.Workspace(part));
                }
            }
        }
    }

    /// <summary>
    /// One training image up to <c>layer_1</c>: its positions, <c>kernel_output</c>, tanh, the dropout mask; the
    /// batch's rows are written (zeros at skipped positions) and the compact layer_1 values returned for the logits.
    /// </summary>
    private struct ForwardSource : IImageSource
    {
        public FastBatch Batch;
        public ScratchConfig Config;
        public double* Kernels;
        public bool Skip;
        public bool StoreTanh;
        public int[] All;
        public VectorWidth Width;

        public readonly int Prepare(int n, double* values, int* positions)
        {
            FastBatch b = Batch;
            int grid = Config.Grid, positionCount = Config.Positions, kc = Config.NumKernels, hidden = Config.Hidden;
            double* image = FastBatch.Address(b.Layer0) + n * ScratchConfig.Pixels;
            int count = List(image, grid, positionCount, positions, Skip, All);
            // The batch keeps its own copy of the list for the backward pass.
            new ReadOnlySpan<int>(positions, count).CopyTo(new Span<int>(FastBatch.Address(b.Positions) + n * positionCount, count));
            b.Counts[n] = count;
            int at = n * hidden;
            Conv3x3.Positions(Width, image, grid, positions, count, Kernels, kc, values);
            if (b.AllTensors)
            {
                Scatter(values, positions, count, kc, FastBatch.Address(b.KernelOutput) + at, hidden);
            }
            SimdTanh.Tanh(values, values, count * kc, Width);
            if (StoreTanh)
            {
                Scatter(values, positions, count, kc, FastBatch.Address(b.Layer1Tanh) + at, hidden);
            }
            byte* mask = FastBatch.Address(b.Mask) + at;
            if (Width == VectorWidth.Bits512)
            {
                Dropout<Lanes8>(values, positions, count, kc, mask);
            }
            else
            {
                Dropout<Lanes4>(values, positions, count, kc, mask);
            }
            // Only the listed positions of layer_1 are read by the book rule's backward pass; the others are +0 and are
            // written only when every tensor is kept or every unit is summed (FastBatch.ZeroUnlisted).
            if (b.Layer1Whole)
            {
                Scatter(values, positions, count, kc, FastBatch.Address(b.Layer1) + at, hidden);
            }
            else
            {
                ScatterListed(values, positions, count, kc, FastBatch.Address(b.Layer1) + at);
            }
            return count;
        }
    }

    // layer_1 *= dropout_mask * 2 at the listed positions: the 0/1 mask as float64, times 2, times tanh.
    private static void Dropout<TLanes>(double* values, int* positions, int count, int kc, byte* mask) where TLanes : struct, ILanes<TLanes>
    {
        TLanes two = TLanes.Broadcast(2.0);
        for (int q = 0; q < count; q++)
        {
            double* t = values + q * kc;
            byte* m = mask + positions[q] * kc;
            int k = 0;
            for (; k <= kc - TLanes.Count; k += TLanes.Count)
            {
                (TLanes.Load(t + k) * (TLanes.Mask(m + k) * two)).Store(t + k);
            }
            for (; k < kc; k++)
            {
                t[k] = t[k] * ((double)m[k] * 2);
            }
        }
    }

    /// <summary>One test image up to its layer_1 values (no dropout).</summary>
    private struct TestSource : IImageSource
    {
        public double* Images;
        public double* Kernels;
        public int Grid;
        public int Positions;
        public int NumKernels;
        public bool Skip;
        public int[] All;
        public VectorWidth Width;

        public readonly int Prepare(int image, double* values, int* positions)
        {
            double* pixels = Images + image * ScratchConfig.Pixels;
            int count = List(pixels, Grid, Positions, positions, Skip, All);
            Conv3x3.Positions(Width, pixels, Grid, positions, count, Kernels, NumKernels, values);
            SimdTanh.Tanh(values, values, count * NumKernels, Width);
            return count;
        }
    }

    // Part's two lanes of workspace: values (positions × K each) and position lists.
    private PairedLogits.Buffers Workspace(int part)
    {
        double* values = FastBatch.Address(_workspace[part]);
        int* positions = FastBatch.Address(_workspacePositions[part]);
        return new PairedLogits.Buffers
        {
            XValues = values,
            XPositions = positions,
            YValues = values + Config.Hidden,
            YPositions = positions + Config.Positions,
        };
    }

    // The positions an image's sums must visit: those with a nonzero section, or all of them.
    private static int List(double* image, int grid, int positions, int* list, bool skip, int[] all)
    {
        if (skip)
        {
            return Sections.Active(image, grid, list);
        }
        all.AsSpan().CopyTo(new Span<int>(list, positions));
        return positions;
    }

    /// <summary>The backward pass through <c>weights_1_2</c>, split by slices of positions.</summary>
    private sealed class BackwardJob : IPartitionedJob
    {
        private BackwardSlice.Pass _pass;
        private WorkerTeam.Chunks _positions;

        private VectorWidth _width;

        public void Run(WorkerTeam team, BackwardSlice.Pass pass, VectorWidth width)
        {
            _pass = pass;
            _width = width;
            // Chunks of a grid row or so: small enough to balance, large enough that an image's list is searched rarely.
            _positions.Reset(pass.Positions, Math.Max(16, pass.Positions / (8 * team.Threads)));
            team.Run(this, pass.Positions);
        }

        public void Execute(int part, int parts)
        {
            while (_positions.Next(out int first, out int end))
            {
                if (_width == VectorWidth.Bits512)
                {
                    BackwardSlice.Run<Lanes8>(_pass, first, end);
                }
                else
                {
                    BackwardSlice.Run<Lanes4>(_pass, first, end);
                }
            }
        }
    }

    /// <summary><c>flattened_input.T.dot(delta)</c> (9 × K), split by groups of four kernels.</summary>
    private sealed class KernelsJob : IPartitionedJob
    {
        private FastNetwork? _network;
        private FastBatch? _batch;
        private double* _deltas;
        private double* _output;
        private bool _skipRows;

        public void Run(WorkerTeam team, FastNetwork network, FastBatch batch, double* deltas, double* output, bool skipRows)
        {
            _network = network;
            _batch = batch;
            _deltas = deltas;
            _output = output;
            _skipRows = skipRows;
            team.Run(this, Units(network.Config.NumKernels, network.Width).Count);
            (_network, _batch) = (null, null);
        }

        // The kernels in units of work: groups of eight (AVX-512), then of four, then single kernels.
        private static (int Count, int Eights, int Fours) Units(int kc, VectorWidth width)
        {
            int eights = width == VectorWidth.Bits512 ? kc / 8 : 0;
            int fours = (kc - 8 * eights) / 4;
            return (eights + fours + (kc - 8 * eights - 4 * fours), eights, fours);
        }

        public void Execute(int part, int parts)
        {
            FastNetwork network = _network!;
            ScratchConfig config = network.Config;
            FastBatch b = _batch!;
            int kc = config.NumKernels;
            var (units, eights, fours) = Units(kc, network.Width);
            // Rows of all-zero sections add ±0 when every delta is finite; otherwise every row is summed.
            int* positions = _skipRows ? FastBatch.Address(b.Positions) : FastBatch.Address(network._allPositions);
            int stride = _skipRows ? config.Positions : 0;
            int* counts = _skipRows ? FastBatch.Address(b.Counts) : FastBatch.Address(b.FullCounts);
            double* images = FastBatch.Address(b.Layer0);
            for (int unit = part; unit < units; unit += parts)
            {
                if (unit < eights)
                {
                    KernelsUpdate.Group<Lanes8>(images, config.Grid, b.BatchSize, positions, stride, counts, _deltas, config.Hidden, kc, 8 * unit, _output);
                }
                else if (unit < eights + fours)
                {
                    int k = 8 * eights + 4 * (unit - eights);
                    KernelsUpdate.Group<Lanes4>(images, config.Grid, b.BatchSize, positions, stride, counts, _deltas, config.Hidden, kc, k, _output);
                }
                else
                {
                    int k = 8 * eights + 4 * fours + (unit - eights - fours);
                    KernelsUpdate.One(images, config.Grid, b.BatchSize, positions, stride, counts, _deltas, config.Hidden, kc, k, _output);
                }
            }
        }
    }

    /// <summary>The test pass, split by image: per image the active positions, kernel outputs, tanh and logits.</summary>
    private sealed class TestJob(FastNetwork network) : IPartitionedJob
    {
        public double* Images;
        public double* Logits;
        public int Count;
        public double* Kernels;
        public double* Weights;
        public bool Skip;
        public WorkerTeam.Chunks Chunks;

        public void Execute(int part, int parts)
        {
            ScratchConfig config = network.Config;
            var source = new TestSource
            {
                Images = Images,
                Kernels = Kernels,
                Grid = config.Grid,
                Positions = config.Positions,
                NumKernels = config.NumKernels,
                Skip = Skip,
                All = network._allPositions,
                Width = network.Width,
            };
            while (Chunks.Next(out int first, out int end))
            {
                if (network.Width == VectorWidth.Bits512)
                {
                    PairedLogits.Run<TestSource, LogitSums8>(ref source, first, end, config.NumKernels, Weights, Logits, network.Workspace(part));
                }
                else
                {
                    PairedLogits.Run<TestSource, LogitSums4>(ref source, first, end, config.NumKernels, Weights, Logits, network.Workspace(part));
                }
            }
        }
    }
}
