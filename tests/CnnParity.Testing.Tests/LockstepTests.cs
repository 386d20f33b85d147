using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

public class LockstepTests
{
    static Tensor Mse(Tensor output, Tensor target) => (output - target).square().mean();

    static List<(Tensor, Tensor)> Batches(int count)
    {
        manual_seed(11);
        return [.. Enumerable.Range(0, count).Select(_ => (randn(2, 1, 6, 6, float64), randn(2, 3, float64)))];
    }

    [Fact]
    public void TwoEqualModulesStayTogether()
    {
        var (reference, port) = SmallNet.Pair(new SmallNet());
        var result = Lockstep.Run(Lockstep.Sgd(port, Mse, 0.1), Lockstep.Sgd(reference, Mse, 0.1), Batches(3));
        Assert.True(result.Pass, result.ToMarkdown());
        Assert.Equal(3 * 5, result.Checks.Count); // loss + 4 parameters per step
        Assert.Equal(["step 1 loss", "step 1 conv1.weight", "step 1 conv1.bias", "step 1 fc.weight", "step 1 fc.bias"],
            result.Checks.Take(5).Select(c => $"{c.Stage} {c.Name}"));
    }

    [Fact]
    public void TheFirstDivergingStepAndParameterAreNamed()
    {
        var (reference, port) = SmallNet.Pair(new SmallNet());
        var result = Lockstep.Run(Lockstep.Sgd(port, Mse, 0.101), Lockstep.Sgd(reference, Mse, 0.1), Batches(3));
        // The loss of step 1 is taken before the update, so the first difference is the first parameter after it.
        Assert.True(result.Checks[0].Pass);
        Assert.Equal(("step 1", "conv1.weight"), (result.FirstFailure!.Stage, result.FirstFailure.Name));
    }

    [Fact]
    public void FromScratchCodeTakesPartThroughTheInterface()
    {
        manual_seed(5);
        var linear = nn.Linear(4, 1, hasBias: false, dtype: float64);
        var scratch = new ScratchRegression(linear.weight!.detach().clone().data<double>().ToArray());
        manual_seed(6);
        var batches = Enumerable.Range(0, 4).Select(_ => (randn(8, 4, float64), randn(8, 1, float64))).ToList();
        var result = Lockstep.Run(scratch, Lockstep.Sgd(linear, Mse, 0.05), batches);
        Assert.True(result.Pass, result.ToMarkdown());

        var wrong = new ScratchRegression(linear.weight!.detach().clone().data<double>().ToArray(), forgetTheTwo: true);
        var failing = Lockstep.Run(wrong, Lockstep.Sgd(linear, Mse, 0.05), batches);
        Assert.Equal(("step 1", "weight"), (failing.FirstFailure!.Stage, failing.FirstFailure.Name));
    }

    /// <summary>Least squares by hand: loss = mean((Xw − y)²), gradient 2/n·Xᵀ(Xw − y).</summary>
    sealed class ScratchRegression(double[] w, bool forgetTheTwo = false) : ILockstepModel
    {
        public double Step(Tensor input, Tensor target)
        {
            var x = input.data<double>().ToArray();
            var y = target.data<double>().ToArray();
            int n = y.Length, d = w.Length;
            var residual = new double[n];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                double p = 0;
                for (int j = 0; j < d; j++) p += x[i * d + j] * w[j];
                residual[i] = p - y[i];
                loss += residual[i] * residual[i];
            }
            for (int j = 0; j < d; j++)
            {
                double g = 0;
                for (int i = 0; i < n; i++) g += x[i * d + j] * residual[i];
                w[j] -= 0.05 * (forgetTheTwo ? 1 : 2) * g / n;
            }
            return loss / n;
        }

        public IReadOnlyList<(string Name, Tensor Value)> Parameters() => [("weight", tensor(w).reshape(1, w.Length))];
    }
}
