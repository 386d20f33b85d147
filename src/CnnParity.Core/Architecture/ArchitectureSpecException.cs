namespace CnnParity.Core.Architecture;

/// <summary>
/// A spec that cannot be built, as one line naming the layer (its position and text) and why:
/// <c>spec layer 4 'conv(c=8,k=9)': kernel 9 is larger than its 6x6 input</c>. Exit code 2, as every usage error.
/// </summary>
public sealed class ArchitectureSpecException(string message) : CnnParityException(message)
{
    /// <summary>The problem of the layer at 1-based <paramref name="position"/>, written as <paramref name="token"/>.</summary>
    public static ArchitectureSpecException At(int position, string token, string problem) =>
        new($"spec layer {position} '{token}': {problem}");
}
