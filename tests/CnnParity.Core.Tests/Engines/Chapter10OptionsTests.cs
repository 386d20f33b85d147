using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The chapter-10 network as a spec with the notebook's options (<see cref="ModelOptions.Notebook"/>): the notebook's
/// initialisation and masks drawn as <see cref="ScratchNetwork"/> draws them, the Σ CE / B² loss of the generic engine
/// against the notebook's own, and the chapter-10 engine behind <see cref="ILockstepEngine"/> handing out the spec's
/// layout. Synthetic images: no MNIST needed.
/// </summary>
public class Chapter10OptionsTests
{
    static ScratchData Synthetic(int train, int test) => TrainingEngineTests.Synthetic(train, test, seed: 6);

    /// <summary>np.random.seed, the notebook's weights, then its first mask: drawn through the spec's options, the same numbers in the spec's layout.</summary>
    [Theory]
    [InlineData(4, 26)]
    [InlineData(3, 25)]
    public void The_notebooks_weights_and_first_mask_come_out_in_the_specs_layout(int kernels, int grid)
    {
        const int batch = 5;
        var spec = ArchitectureSpec.Chapter10(kernels, grid);
        var config = new ScratchConfig { NumKernels = kernels, Grid = grid, BatchSize = batch, Threads = 1 };
        var layout = NotebookLayout.Of(spec);
        var notebookRandom = new NumPyRandomState(9);
        var network = ScratchNetwork.Initialize(config, notebookRandom);
        var state = new BatchState(config, batch);
        network.Forward(state, new double[batch * ScratchConfig.Pixels], notebookRandom);

        var random = new NumPyRandomState(9);
        var options = ModelOptions.Of(spec);
        var parameters = ParameterSet<double>.Initialize(spec, random, options.Initialisation);
        var masks = DropoutMasks.Draw(spec, batch, random, options.Masks);

        Assert.Equal(ModelOptions.Notebook, options);
        Golden.AssertBitwise("conv1.weight", layout.ConvWeightFromKernels(network.Kernels), parameters["conv1.weight"]);
        Golden.AssertBitwise("dense1.weight", layout.LinearWeightFromDense(network.WeightsOneTwo), parameters["dense1.weight"]);
        var expected = layout.HiddenToTorch<double>(state.DropoutMask).Select(m => m * 2).ToArray();
        Golden.AssertBitwise("dropout1 mask", expected, masks["dropout1"]);
        Assert.Equal(notebookRandom.NextUInt32(), random.NextUInt32()); // both streams stand at the same place
    }

    /// <summary>
    /// The generic engine with the Σ CE / B² loss (float64) against the notebook's corrected rule on the same batch: the
    /// same loss and gradients up to summation order (a few ULP), the notebook's 1/B of the mean loss's.
    /// </summary>
    [Fact]
    public void The_generic_engine_with_the_notebooks_loss_computes_the_corrected_gradients()
    {
        const int batch = 6;
        var spec = ArchitectureSpec.Chapter10(3, 25);
        var config = new ScratchConfig { NumKernels = 3, Grid = 25, BatchSize = batch, Threads = 2 };
        var random = new NumPyRandomState(2);
        var parameters = ParameterSet<double>.Initialize(spec, random, Initialisation.Notebook);
        var masks = DropoutMasks.Draw(spec, batch, random, MaskDraw.NotebookRandInt);
        (double[] images, byte[] labels) = SpecNetworkTests.Batch(batch, 12);

        var notebook = NotebookParameters.ToNotebook(parameters, config);
        var layout = NotebookLayout.Of(spec);
        var state = new BatchState(config, batch);
        var mask = layout.HiddenFromTorch<double>(masks["dropout1"]).Select(m => m / 2).ToArray();
        notebook.Forward(state, images, mask);
        var oneHot = new double[batch * 10];
        for (int r = 0; r < batch; r++) oneHot[r * 10 + labels[r]] = 1;
        var corrected = notebook.CorrectedBackward(state, oneHot);

        var engine = new SpecNetwork<double>(spec, parameters, 2, NumPyExpKernel.Svml, LossScale.SumOverBatchSquared);
        var pass = engine.Forward(images, batch, masks);
        var gradients = engine.Backward(pass, labels);
        var mean = new SpecNetwork<double>(spec, parameters, 2).Loss(pass, labels);

        Assert.Equal(corrected.Loss, engine.Loss(pass, labels), 1e-15);
        Assert.Equal(mean / batch, engine.Loss(pass, labels), 1e-15);
        Close(layout.ConvWeightFromKernels(corrected.DKernels), gradients["conv1.weight"]);
        Close(layout.LinearWeightFromDense(corrected.DWeights), gradients["dense1.weight"]);
        Close(layout.HiddenToTorch<double>(state.Layer1), pass.Output("dropout1"));
    }

    static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-13 * scale, $"[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }

    /// <summary>
    /// The chapter-10 engine behind <see cref="ILockstepEngine"/>: each step's masks are the ones it trained with, in the
    /// spec's layout; its weights come out in the spec's layout; started from its own drawn weights it is the same run.
    /// </summary>
    [Fact]
    public void The_chapter10_engine_hands_out_its_masks_and_weights_in_the_specs_layout()
    {
        ScratchData data = Synthetic(24, 10);
        var options = new SpecTrainerOptions(ArchitectureSpec.Chapter10(2, 26))
        {
            BatchSize = 8, TrainCount = 24, TestCount = 10, Epochs = 1, LearningRate = 2, Seed = 5, Threads = 2,
        };
        var engine = Chapter10Engine.Create(options, data, TrainingMode.Corrected);
        var notebookMasks = new List<double[]>();
        var faithful = new ScratchTrainer(Chapter10Engine.Config(options, TrainingMode.Corrected) with { Engine = ScratchEngine.Faithful }, data)
        {
            BatchObserver = (state, _, _, _) => notebookMasks.Add((double[])state.DropoutMask.Clone()),
        };
        var steps = new List<(double Loss, double[] Mask)>();
        engine.BatchCompleted = step => steps.Add((step.Loss, step.Masks["dropout1"]));
        var same = Chapter10Engine.Create(options, data, TrainingMode.Corrected, engine.InitialParameters);

        engine.RunEpoch();
        faithful.RunEpoch();
        same.RunEpoch();

        var layout = NotebookLayout.Of(options.Spec);
        Assert.Equal(3, steps.Count);
        foreach (var ((loss, mask), notebook) in steps.Zip(notebookMasks))
        {
            Assert.True(double.IsFinite(loss));
            Golden.AssertBitwise("mask", layout.HiddenToTorch<double>(notebook).Select(m => m * 2).ToArray(), mask);
        }
        var expected = NotebookParameters.FromNotebook(options.Spec, faithful.Network);
        foreach (var p in options.Spec.Parameters)
        {
            Golden.AssertBitwise(p.Name, expected[p.Name], engine.CurrentParameters()[p.Name]);
            Golden.AssertBitwise(p.Name, expected[p.Name], same.CurrentParameters()[p.Name]);
        }
    }

    /// <summary>
    /// The generic trainer runs ch10 with its options (the float32 engine, or float64 here): the notebook's weights and masks,
    /// SGD at alpha without momentum on Σ CE / B² — the corrected rule, equal to the chapter-10 engine's run up to rounding.
    /// </summary>
    [Fact]
    public void The_generic_trainer_trains_ch10_as_the_corrected_rule_does()
    {
        ScratchData data = Synthetic(32, 10);
        var options = new SpecTrainerOptions(ArchitectureSpec.Chapter10(2, 25))
        {
            BatchSize = 8, TrainCount = 32, TestCount = 10, Epochs = 2, LearningRate = 2, Seed = 3, Threads = 2,
        };
        var generic = new SpecTrainer(options, data);
        var notebook = TrainingEngines.FromScratch(options, data);
        Assert.IsType<Chapter10Engine>(notebook);
        Assert.IsType<SpecTrainer>(TrainingEngines.FromScratch(options with { Dtype = Dtype.Float32 }, data));
        for (int e = 0; e < 2; e++)
        {
            var a = generic.RunEpoch();
            var b = notebook.RunEpoch();
            Assert.Equal(b.TrainLoss!.Value, a.TrainLoss!.Value, 1e-12);
        }
        foreach (var p in options.Spec.Parameters)
            Close(notebook.CurrentParameters()[p.Name], generic.CurrentParameters()[p.Name]);
        Assert.Throws<CnnParityException>(() => TrainingEngines.FromScratch(options with { Momentum = 0.9 }, data));
        Assert.Throws<CnnParityException>(() => TrainingEngines.FromScratch(new SpecTrainerOptions(ArchitectureSpec.Parse("lenet5")), data, mode: TrainingMode.Book));
    }
}
