using CnnParity.Core;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>The one mapping from the project's <see cref="Dtype"/> to TorchSharp's ScalarType.</summary>
public static class TwinDtype
{
    public static ScalarType Of(Dtype dtype) => dtype == Dtype.Float64 ? float64 : float32;
}
