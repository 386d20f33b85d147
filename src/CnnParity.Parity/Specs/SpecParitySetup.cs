using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The starting point every check of one network shares (ch10 or any spec): the initial parameters (by name, PyTorch's
/// layout), the dropout masks of the first training batch, that batch, the test images, the tolerances the checks are held
/// to, and how to build each side — the from-scratch model in a dtype and the TorchSharp twin holding the same numbers,
/// both with the spec's <see cref="ModelOptions"/> (its loss).
/// </summary>
public sealed class SpecParitySetup
{
    readonly Func<Dtype, Func<string, double[]>, ISpecModel> scratch;

    /// <param name="initial">every spec parameter by name</param>
    /// <param name="firstMasks">every dropout layer's scale for the first batch, by layer name</param>
    /// <param name="scratch">builds the from-scratch side in a dtype from parameters by name</param>
    public SpecParitySetup(ArchitectureSpec spec, ScratchData data, SpecParitySettings settings,
        IReadOnlyDictionary<string, double[]> initial, IReadOnlyDictionary<string, double[]> firstMasks,
        Func<Dtype, Func<string, double[]>, ISpecModel> scratch)
    {
        if (data.TrainCount < settings.Batch) throw new ArgumentException($"the first batch needs {settings.Batch} training images, the data has {data.TrainCount}");
        if (data.TestCount < settings.TestCount) throw new ArgumentException($"{settings.TestCount} test images asked for, the data has {data.TestCount}");
        Spec = spec;
        Data = data;
        Settings = settings;
        Initial = initial;
        FirstMasks = firstMasks;
        this.scratch = scratch;
        Options = ModelOptions.Of(spec);
        Tolerances = Parity.Tolerances.For(spec);
    }

    /// <summary>
    /// The engine's own start: <c>np.random.seed(seed)</c>, the initial weights (<see cref="ParameterSet{T}.Initialize(ArchitectureSpec, NumPyRandomState, Initialisation)"/>:
    /// PyTorch's bound, or the notebook's for ch10), then the first batch's dropout masks from the same stream
    /// (<see cref="DropoutMasks.Draw(ArchitectureSpec, int, NumPyRandomState, MaskDraw)"/>) — what the trainers do before their
    /// first step. The from-scratch side is the engine (<see cref="EngineModel"/>).
    /// </summary>
    public static SpecParitySetup FromSeed(ArchitectureSpec spec, ScratchData data, SpecParitySettings settings)
    {
        var options = ModelOptions.Of(spec);
        var random = new NumPyRandomState(settings.Seed);
        var initial = ParameterSet<double>.Initialize(spec, random, options.Initialisation);
        var masks = DropoutMasks.Draw(spec, settings.Batch, random, options.Masks);
        return new SpecParitySetup(spec, data, settings,
            spec.Parameters.ToDictionary(p => p.Name, p => initial[p.Name]), masks.LayerNames.ToDictionary(n => n, n => masks[n]),
            (dtype, values) => EngineModel.Create(spec, dtype, values, settings.Threads, settings.Exp));
    }

    public ArchitectureSpec Spec { get; }
    public ScratchData Data { get; }
    public SpecParitySettings Settings { get; }
    public IReadOnlyDictionary<string, double[]> Initial { get; }
    public IReadOnlyDictionary<string, double[]> FirstMasks { get; }

    /// <summary>How the network starts, draws its masks and scales its loss (the notebook's for ch10, PyTorch's otherwise).</summary>
    public ModelOptions Options { get; }

    /// <summary>What every row of this network's checks is held to (<see cref="Parity.Tolerances.For"/>).</summary>
    public ParityTolerances Tolerances { get; }

    public int Batch => Settings.Batch;
    public ReadOnlySpan<double> FirstBatchImages => Data.TrainImages.AsSpan(0, Batch * Spec.Input.Size);
    public ReadOnlySpan<byte> FirstBatchLabels => Data.TrainLabels.AsSpan(0, Batch);

    /// <summary>The first batch's masks as the models take them.</summary>
    public Func<string, double[]> Masks => name => FirstMasks[name];

    /// <summary>The from-scratch side at the initial parameters (or at <paramref name="parameters"/>).</summary>
    public ISpecModel Scratch(Dtype dtype, Func<string, double[]>? parameters = null) => scratch(dtype, parameters ?? (name => Initial[name]));

    /// <summary>The twin at the initial parameters (or at <paramref name="parameters"/>, e.g. one weight nudged to see a check fail).</summary>
    public TwinModel Twin(Dtype dtype, Func<string, double[]>? parameters = null) => new(Spec, dtype, parameters ?? (name => Initial[name]), Options.Loss);

    /// <summary>The run the lockstep check trains: the settings' optimizer, images and dtype, the spec's model options.</summary>
    public SpecTrainerOptions Training => new(Spec)
    {
        Dtype = Settings.LockstepDtype, BatchSize = Settings.Batch, LearningRate = Settings.LearningRate, LearningRateDecay = Settings.LearningRateDecay,
        Momentum = Settings.Momentum, Optimizer = Settings.Optimizer, Shuffle = Settings.Shuffle, Epochs = Settings.LockstepEpochs, TrainCount = Settings.TrainCount,
        TestCount = Settings.TestCount, Seed = Settings.Seed, Threads = Settings.Threads, Exp = Settings.Exp, Model = Options,
    };
}
