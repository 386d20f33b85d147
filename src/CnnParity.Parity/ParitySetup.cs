using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Architecture;
using CnnParity.Core;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity;

/// <summary>
/// The starting point every check shares: the from-scratch network initialised from
/// <c>np.random.seed(seed)</c>, the random stream positioned where the first dropout mask is drawn,
/// and the first training batch.
/// </summary>
public sealed class ParitySetup
{
    public ScratchConfig Config { get; }
    public ScratchData Data { get; }
    public ScratchNetwork Initial { get; }
    public NotebookLayout Layout { get; }

    public ParitySetup(ScratchConfig config, ScratchData data)
    {
        Config = config.Validate();
        Data = data;
        Initial = ScratchNetwork.Initialize(config, new NumPyRandomState(config.Seed));
        Layout = new NotebookLayout(config.NumKernels, config.Grid);
    }

    /// <summary>A fresh random stream in the state the notebook is in when it draws the first mask.</summary>
    public NumPyRandomState StreamAfterInitialisation()
    {
        var random = new NumPyRandomState(Config.Seed);
        ScratchNetwork.Initialize(Config, random);
        return random;
    }

    public int BatchSize => Config.BatchSize;

    public ReadOnlySpan<double> FirstBatchImages => Data.TrainImages.AsSpan(0, BatchSize * ScratchConfig.Pixels);
    public ReadOnlySpan<byte> FirstBatchLabels => Data.TrainLabels.AsSpan(0, BatchSize);
    public ReadOnlySpan<double> FirstBatchOneHot => Data.TrainOneHot.AsSpan(0, BatchSize * ArchitectureSpec.Classes);

    /// <summary>The from-scratch forward pass of the first batch with the notebook's first mask.</summary>
    public BatchState ForwardFirstBatch(ScratchNetwork network)
    {
        var state = new BatchState(Config, BatchSize);
        network.Forward(state, FirstBatchImages, StreamAfterInitialisation());
        return state;
    }

    /// <summary>A twin holding the from-scratch network's current weights.</summary>
    public TwinNetwork Twin(ScratchNetwork network, Dtype dtype)
    {
        var twin = new TwinNetwork(Layout, TwinDtype.Of(dtype));
        twin.LoadScratchWeights(network.Kernels, network.WeightsOneTwo);
        return twin;
    }
}
