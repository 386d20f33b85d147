using System.Globalization;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// Trains two models side by side on the same batches — a port against its reference, a module against a golden
/// file, your own code against TorchSharp — and after every step compares the loss and every named parameter.
/// The result's first failure is the first diverging step, and in it the first parameter that left tolerance.
/// </summary>
public static class Lockstep
{
    /// <summary>A TorchSharp module trained by plain SGD (torch.optim.SGD with only a learning rate).</summary>
    /// <param name="module">the model; its parameters change with every step</param>
    /// <param name="loss">(output, target) → scalar loss</param>
    /// <param name="learningRate">the SGD step size</param>
    public static ILockstepModel Sgd(nn.Module<Tensor, Tensor> module, Func<Tensor, Tensor, Tensor> loss, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(loss);
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), "the learning rate must be positive");
        return new ModuleSgd(module, loss, learningRate);
    }

    /// <summary>
    /// Trains <paramref name="actual"/> on a PyTorch golden's batch for the golden's K steps and compares each
    /// step's loss and parameters with PyTorch's. Start it from the golden's weights (<see cref="TorchGolden.LoadInto"/>).
    /// </summary>
    /// <param name="actual">the model under test</param>
    /// <param name="golden">the golden whose recorded steps are the reference</param>
    /// <param name="tolerance">for losses and parameters; assert_close's default for the parameters' dtype when null</param>
    /// <param name="title">what is compared with what, for the report</param>
    public static ParityResult Run(ILockstepModel actual, TorchGolden golden, Tolerance? tolerance = null, string title = "lockstep training")
    {
        ArgumentNullException.ThrowIfNull(golden);
        return Run(actual, golden.Replay(), golden.Batches(), tolerance, title);
    }

    /// <summary>Steps both models through <paramref name="batches"/> and compares them after each step.</summary>
    /// <param name="actual">the model under test</param>
    /// <param name="expected">the reference; its parameter names and order lead the comparison</param>
    /// <param name="batches">(input, target) per step</param>
    /// <param name="tolerance">for losses and parameters; assert_close's default for the parameters' dtype when null</param>
    /// <param name="title">what is compared with what, for the report</param>
    public static ParityResult Run(ILockstepModel actual, ILockstepModel expected, IEnumerable<(Tensor Input, Tensor Target)> batches,
        Tolerance? tolerance = null, string title = "lockstep training")
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(batches);
        var checks = new List<ParityCheck>();
        var notes = new List<string>();
        int step = 0;
        foreach (var (input, target) in batches)
        {
            step++;
            string stage = "step " + step.ToString(CultureInfo.InvariantCulture);
            double expectedLoss = expected.Step(input, target);
            double actualLoss;
            try
            {
                actualLoss = actual.Step(input, target);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                notes.Add($"The actual model threw at {stage}: {e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}");
                break;
            }
            var reference = expected.Parameters();
            var lossTolerance = tolerance ?? Tolerance.For(reference.Count > 0 ? reference[0].Value.dtype : ScalarType.Float64);
            using (var scope = NewDisposeScope())
                checks.Add(TensorCheck.Compare(stage, "loss", tensor(actualLoss), tensor(expectedLoss), lossTolerance));
            var parameters = actual.Parameters().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            foreach (var (name, value) in reference)
                checks.Add(TensorCheck.Compare(stage, name, parameters.GetValueOrDefault(name), value, tolerance, "no parameter of this name"));
        }
        if (step == 0) notes.Add("No batches: nothing was trained.");
        return new ParityResult(title, checks, notes);
    }
}
