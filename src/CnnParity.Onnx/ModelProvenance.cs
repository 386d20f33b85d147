using System.Reflection;

namespace CnnParity.Onnx;

/// <summary>
/// Where an exported model's weights came from, written into its metadata_props so that a deployed file says how to
/// make it again.
/// </summary>
/// <param name="Seed">the np.random.seed the weights were initialised from</param>
/// <param name="Weights">"initial weights of seed 1", or the weights file and how it was trained</param>
public sealed record ModelProvenance(uint Seed, string Weights)
{
    /// <summary>The weights the seed draws before any training.</summary>
    public static ModelProvenance Initial(uint seed) => new(seed, $"initial weights of seed {seed}");

    /// <summary>
    /// CnnParity's version: the assembly's informational version, which the SDK ends with the commit it was built from
    /// (<c>1.0.0+904f635...</c>).
    /// </summary>
    public static string CnnParityVersion { get; } =
        typeof(ModelProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelProvenance).Assembly.GetName().Version?.ToString() ?? "unknown";
}
