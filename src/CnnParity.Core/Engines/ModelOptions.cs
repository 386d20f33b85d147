using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines;

/// <summary>Where a model's first weights come from (drawn from the run's <c>np.random.seed</c> stream).</summary>
public enum Initialisation
{
    /// <summary>PyTorch's default bound, U(−1/√fan_in, 1/√fan_in) per parameter in spec order (<see cref="ParameterSet{T}.Initialize(ArchitectureSpec, NumPy.NumPyRandomState)"/>).</summary>
    PyTorch,

    /// <summary>The chapter-10 notebook's: kernels 0.02·U − 0.01 as 9 x K, weights_1_2 0.2·U − 0.1 as hidden x 10 (<see cref="Chapter10.NotebookParameters.Initialize"/>).</summary>
    Notebook,
}

/// <summary>How a training batch's dropout masks are drawn from the run's stream.</summary>
public enum MaskDraw
{
    /// <summary><c>(rs.random_sample((B,) + shape) &gt;= p) / (1 - p)</c> per dropout layer, in spec order.</summary>
    RandomSample,

    /// <summary>
    /// The notebook's <c>np.random.randint(2, size=(B, hidden))</c>: one 32-bit word per unit, position-major (NHWC), a kept
    /// unit scaled by 1/(1 − p) (the notebook's <c>mask * 2</c>); laid out NCHW as the spec's dropout layer takes it.
    /// </summary>
    NotebookRandInt,
}

/// <summary>What the softmax cross-entropy of a batch is divided by.</summary>
public enum LossScale
{
    /// <summary>B: torch.nn.functional.cross_entropy's reduction "mean".</summary>
    Mean,

    /// <summary>B²: the chapter-10 corrected loss Σ CE / B², the scale the book's dense step implies.</summary>
    SumOverBatchSquared,
}

/// <summary>
/// What a spec's network is besides its layers: how its weights start, how its dropout masks are drawn and what its loss
/// divides by. Any spec takes PyTorch's conventions (<see cref="PyTorch"/>); the chapter-10 network the notebook's
/// (<see cref="Notebook"/>). The engine, the twin, the trainers and the checks all read these, so a ch10 run is a spec run
/// with other options, not another pipeline.
/// </summary>
public sealed record ModelOptions(Initialisation Initialisation, MaskDraw Masks, LossScale Loss)
{
    /// <summary>PyTorch's default initialisation, masks by random_sample, mean cross-entropy.</summary>
    public static ModelOptions PyTorch { get; } = new(Initialisation.PyTorch, MaskDraw.RandomSample, LossScale.Mean);

    /// <summary>The notebook's initialisation and masks, the corrected loss Σ CE / B².</summary>
    public static ModelOptions Notebook { get; } = new(Initialisation.Notebook, MaskDraw.NotebookRandInt, LossScale.SumOverBatchSquared);

    /// <summary>The options a spec runs with: the notebook's for ch10, PyTorch's for any other.</summary>
    public static ModelOptions Of(ArchitectureSpec spec) => spec.IsChapter10 ? Notebook : PyTorch;

    /// <summary>The divisor of a batch's summed cross-entropy: B or B².</summary>
    public double LossDivisor(int batch) => Loss == LossScale.Mean ? batch : (double)batch * batch;
}
