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
    public static RunRecord Record(nn.Module<Tensor, Tensor> module, TorchGolden golden, ScalarType dtype)
    {
        golden.LoadInto(module);
        if (module.parameters().Any(p => p.dtype != dtype)) module.to(dtype);
        SetMode(module, golden.TrainMode);
        using var input = golden.Input.to_type(dtype);
        using var target = golden.Target.is_floating_point() ? golden.Target.to_type(dtype) : golden.Target.alias();
        var record = new RunRecord(ForwardTrace.Record(module, input, o => golden.LossOf(o, target)));
        if (record.Forward.Failure is not null) return record;
        var sgd = new ModuleSgd(module, golden.LossOf, golden.LearningRate);
        for (int k = 1; k <= golden.Steps; k++)
        {
            try
            {
                var loss = sgd.Step(input, target);
                using var scope = NewDisposeScope();
                List<(string, Tensor)> values = [.. module.named_parameters().Select(p => (p.name, Keep(p.parameter)))];
                if (golden.TrainMode) values.AddRange(module.named_buffers().Select(b => (b.name, Keep(b.buffer))));
                record.Steps.Add(new StepRecord(tensor(loss).DetachFromDisposeScope(), values));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                record.StepFailure = $"step {k}: {e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}";
                break;
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
