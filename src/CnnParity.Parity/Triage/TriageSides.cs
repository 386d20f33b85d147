using CnnParity.Core;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Triage;

/// <summary>The two implementations a triaged check judges, each built in the dtype asked for.</summary>
/// <param name="Engine">the from-scratch side</param>
/// <param name="Twin">the TorchSharp side</param>
public sealed record TriageSides(Func<Dtype, ISpecModel> Engine, Func<Dtype, ISpecModel> Twin)
{
    /// <summary>The setup's engine and twin at its initial parameters.</summary>
    public static TriageSides Of(SpecParitySetup setup) => new(d => setup.Scratch(d), d => setup.Twin(d));
}
