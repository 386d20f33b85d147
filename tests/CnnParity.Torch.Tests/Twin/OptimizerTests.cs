using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Tests.Twin;

/// <summary>
/// The engine's optimizers against TorchSharp's own (the twin's), step by step on the same weights and gradients: Adam,
/// AdamW and SGD with weight decay, float64 and float32. The gradients are drawn away from zero (|g| ≥ 1e-3), where
/// Adam's step is well-conditioned, so what is left is rounding: about ten roundings an element a step, some fused by
/// ATen's vectorised kernels (add with alpha, addcmul), none by the engine. Over five steps that stays within 100 ULP of
/// the weights' scale: 1e-14 in float64, 6e-6 in float32 (measured: one ULP); a wrong rule moves weights by a good part of lr (1e-3).
/// </summary>
public class OptimizerTests
{
    static readonly ArchitectureSpec Spec = ArchitectureSpec.Parse("conv(c=2,k=3) flatten dense(10)");

    public static TheoryData<string, double, double> Rules => new()
    {
        { "adam", 0, 0 },
        { "adam", 0.01, 0 },
        { "adamw", 0.05, 0 },
        { "sgd", 0.001, 0.9 },
        { "sgd", 0.01, 0 },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Float64StepsAreTorchSharps(string name, double weightDecay, double momentum) =>
        Compare<double>(new OptimizerSettings(OptimizerSettings.Parse(name), weightDecay), momentum, 1e-14);

    [Theory]
    [MemberData(nameof(Rules))]
    public void Float32StepsAreTorchSharps(string name, double weightDecay, double momentum) =>
        Compare<float>(new OptimizerSettings(OptimizerSettings.Parse(name), weightDecay), momentum, 6e-6);

    static void Compare<T>(OptimizerSettings settings, double momentum, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double lr = settings.IsAdam ? 1e-3 : 0.05;
        var random = new Random(7);
        var start = ParameterSet<double>.Zeros(Spec);
        foreach (var p in Spec.Parameters)
        {
            for (int i = 0; i < p.Size; i++) start[p.Name][i] = random.NextDouble() - 0.5;
        }
        var engine = typeof(T) == typeof(double) ? (ParameterSet<T>)(object)start.Clone() : (ParameterSet<T>)(object)start.ToFloat32();
        var optimizer = settings.IsAdam ? (IOptimizer<T>)new AdamOptimizer<T>(lr, settings) : new SgdOptimizer<T>(lr, momentum, settings.WeightDecay);
        var dtype = typeof(T) == typeof(double) ? float64 : float32;

        using var scope = NewDisposeScope();
        var twin = Spec.Parameters.Select(p => nn.Parameter(tensor(engine[p.Name].Select(v => double.CreateTruncating(v)).ToArray(), dtype))).ToList();
        using optim.Optimizer torchOptimizer = settings.Kind switch
        {
            OptimizerKind.Adam => optim.Adam(twin, lr, settings.Beta1, settings.Beta2, settings.Eps, settings.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(twin, lr, settings.Beta1, settings.Beta2, settings.Eps, settings.WeightDecay),
            _ => optim.SGD(twin, lr, momentum, weight_decay: settings.WeightDecay),
        };
        for (int step = 0; step < 5; step++)
        {
            var gradients = ParameterSet<T>.Zeros(Spec);
            foreach (var p in Spec.Parameters)
            {
                for (int i = 0; i < p.Size; i++)
                    gradients[p.Name][i] = T.CreateTruncating((random.Next(2) * 2 - 1) * (1e-3 + random.NextDouble() * 0.1));
            }
            optimizer.Step(engine, gradients);
            for (int k = 0; k < twin.Count; k++)
            {
                var g = gradients[Spec.Parameters[k].Name].Select(v => double.CreateTruncating(v)).ToArray();
                twin[k].grad = tensor(g, dtype);
            }
            torchOptimizer.step();
        }

        foreach (var (p, k) in Spec.Parameters.Select((p, k) => (p, k)))
        {
            double[] expected = twin[k].to_type(float64).data<double>().ToArray();
            double[] actual = [.. engine[p.Name].Select(v => double.CreateTruncating(v))];
            double scale = expected.Max(Math.Abs), moved = expected.Zip(start[p.Name]).Max(x => Math.Abs(x.First - x.Second));
            double diff = expected.Zip(actual).Max(x => Math.Abs(x.First - x.Second));
            Assert.True(diff <= tolerance * scale, $"{settings}: {p.Name} differs by {diff:G3} (scale {scale:G3})");
            Assert.True(moved > 1e-3, $"{settings}: {p.Name} moved only {moved:G3}");
        }
    }
}
