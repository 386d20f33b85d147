using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>
/// A setup whose "from-scratch" side is a TorchSharp twin too (optionally altered): the harness checked against
/// autograd and finite differences, and shown to fail, without the engine in the way.
/// </summary>
static class TwinOnlySetup
{
    /// <summary>A twin standing where the engine stands, named as the engine is (so a blame says which side).</summary>
    sealed class InEnginesPlace(ISpecModel twin) : DecoratedModel(twin)
    {
        public override string Name => CnnParity.Parity.Triage.Sides.Engine;
    }

    public static SpecParitySetup Create(string text, SpecParitySettings settings, Func<ISpecModel, ISpecModel>? alter = null)
    {
        var spec = ArchitectureSpec.Parse(text);
        var random = new NumPyRandomState(settings.Seed);
        var initial = spec.Parameters.ToDictionary(p => p.Name, p =>
        {
            double bound = 1 / Math.Sqrt(p.FanIn);
            return Enumerable.Range(0, p.Size).Select(_ => (2 * random.RandomSample() - 1) * bound).ToArray();
        });
        var masks = spec.Layers.Where(l => l.Spec is DropoutSpec).ToDictionary(l => l.Name, l =>
        {
            double p = ((DropoutSpec)l.Spec).P;
            return Enumerable.Range(0, settings.Batch * l.Output.Size).Select(_ => random.RandomSample() >= p ? 1 / (1 - p) : 0).ToArray();
        });
        return new SpecParitySetup(spec, RealData.Load(settings.TestCount), settings, initial, masks,
            (dtype, parameters) =>
            {
                ISpecModel twin = new InEnginesPlace(new TwinModel(spec, dtype, parameters));
                return alter is null ? twin : alter(twin);
            });
    }
}
