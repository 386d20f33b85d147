using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// The port run as the golden's module was: the golden's weights, its mode (eval, or train with dropout off), its
/// batch, the recorded forward and backward pass, then its K SGD steps — in float32, or in float64 for the shadow
/// (weights, buffers and input promoted exactly from the golden's float32 ones).
/// </summary>
internal static class PortRun
{
    /// <summary>Runs <paramref name="module"/> against <paramref name="golden"/> in <paramref name="dtype"/>; the module is left in that dtype.</summary>
    /// <param name="module">the port</param>
    /// <param name="golden">whose weights, mode, batch and steps it takes</param>
    /// <param name="dtype">float32, or float64 for the shadow run</param>
    /// <param name="keepStepOutputs">keep each step's forward outputs (the float64 run, for the float32 run to count its flips against)</param>
    /// <param name="float64">the float64 run already made: each float32 step counts the kinks it took otherwise</param>
    public static RunRecord Record(nn.Module<Tensor, Tensor> module, TorchGolden golden, ScalarType dtype, bool keepStepOutputs = false, RunRecord? float64 = null)
    {
        golden.LoadInto(module);
        if (module.parameters().Any(p => p.dtype != dtype)) module.to(dtype);
        SetMode(module, golden.TrainMode);
        using var input = golden.Input.to_type(dtype);
        using var target = golden.Target.is_floating_point() ? golden.Target.to_type(dtype) : golden.Target.alias();
        Tensor Loss(Tensor output) => golden.LossOf(output, target);
        var record = new RunRecord(ForwardTrace.Record(module, input, Loss));
        if (record.Forward.Failure is not null) return record;
        for (int k = 1; k <= golden.Steps; k++)
        {
            // A step is a recorded pass (its outputs seen by the hooks) and then torch.optim.SGD's update.
            var pass = ForwardTrace.Record(module, input, Loss);
            try
            {
                if (pass.Failure is not null) throw new InvalidOperationException(pass.Failure);
                using (no_grad())
                    foreach (var p in module.parameters())
                        if (p.grad is not null) p.sub_(p.grad * golden.LearningRate);
                using var scope = NewDisposeScope();
                List<(string, Tensor)> values = [.. module.named_parameters().Select(p => (p.name, Keep(p.parameter)))];
                if (golden.TrainMode) values.AddRange(module.named_buffers().Select(b => (b.name, Keep(b.buffer))));
                var step = new StepRecord(pass.Loss!.to_type(ScalarType.Float64).DetachFromDisposeScope(), values);
                if (float64 is not null && k <= float64.Steps.Count && float64.Steps[k - 1].Outputs is { } reference)
                {
                    step.DecidedByRounding = TruthJudge.Flips(pass.Outputs, reference, Tolerance.Float32);
                    float64.Steps[k - 1].DisposeOutputs();
                }
                if (keepStepOutputs)
                {
                    step.Outputs = [.. pass.Outputs];
                    pass.Outputs.Clear(); // now the step's to dispose
                }
                record.Steps.Add(step);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                record.StepFailure = $"step {k}: {e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}";
                break;
            }
            finally
            {
                pass.Dispose();
            }
        }
        return record;
    }

    /// <summary>eval(), or train() with every dropout module in eval(): as torch_golden.py sets the golden's module.</summary>
    public static void SetMode(nn.Module module, bool train)
    {
        if (!train)
        {
            module.eval();
            return;
        }
        module.train();
        foreach (var (_, m) in module.named_modules())
            if (m.GetType().Name.Contains("Dropout", StringComparison.Ordinal)) m.eval();
    }

    static Tensor Keep(Tensor t) => t.detach().clone().DetachFromDisposeScope();
}
