namespace CnnParity.Parity.Triage;

/// <summary>How the checks name the implementations they judge.</summary>
public static class Sides
{
    /// <summary>The from-scratch engine (<see cref="Specs.EngineModel"/>, <see cref="Specs.Chapter10Model"/>).</summary>
    public const string Engine = "engine";

    /// <summary>The TorchSharp twin (<see cref="Specs.TwinModel"/>).</summary>
    public const string Twin = "TorchSharp twin";

    /// <summary>The float64 reference (<see cref="Core.Engines.Reference.ReferenceNetwork"/>): the truth's referee.</summary>
    public const string Reference = "float64 reference";
}
