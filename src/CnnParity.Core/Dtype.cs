namespace CnnParity.Core;

/// <summary>The floating-point type a model computes in (PyTorch's dtype); written f64 / f32 on the command line and in reports.</summary>
public enum Dtype
{
    /// <summary>IEEE double: torch.float64.</summary>
    Float64,

    /// <summary>IEEE single: torch.float32.</summary>
    Float32,
}

/// <summary>The one mapping between <see cref="Dtype"/> and its short name.</summary>
public static class DtypeNames
{
    /// <summary>Every dtype's short name, in the order options list them.</summary>
    public static IReadOnlyList<string> All { get; } = ["f64", "f32"];

    /// <summary>"f64" or "f32".</summary>
    public static string ShortName(this Dtype dtype) => dtype == Dtype.Float64 ? "f64" : "f32";

    /// <summary>The dtype called <paramref name="name"/> (f64 or f32), or a one-line error.</summary>
    public static Dtype Parse(string name) => name switch
    {
        "f64" => Dtype.Float64,
        "f32" => Dtype.Float32,
        _ => throw new CnnParityException($"unknown dtype '{name}' (expected f64 or f32)"),
    };
}
