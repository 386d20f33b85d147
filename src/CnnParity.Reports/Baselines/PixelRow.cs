using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;
using Microsoft.ML.Data;

namespace CnnParity.Reports.Baselines;

/// <summary>One image as the ML.NET trainer reads it: 784 pixels and a key-typed digit label (0-based through LoadFromEnumerable).</summary>
internal sealed class PixelRow
{
    [KeyType(ArchitectureSpec.Classes)]
    public uint Label { get; set; }

    [VectorType(ScratchConfig.Pixels)]
    public float[] Features { get; set; } = [];
}
