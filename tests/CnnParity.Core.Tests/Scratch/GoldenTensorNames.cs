using CnnParity.Core.Scratch;

namespace CnnParity.Core.Tests.Scratch;

/// <summary>
/// The one mapping from a tensor name in reference/cnn_reference.py's batch dumps to the C# tensor it must equal,
/// shared by the faithful and the fast golden tests.
/// </summary>
internal static class GoldenTensorNames
{
    /// <returns>the C# tensor, or null when the name has no counterpart (or its "before" copy was not kept)</returns>
    public static double[]? Find(string name, BatchState s, ScratchNetwork network, double[]? kernelsBefore, double[]? weightsBefore) =>
        name switch
        {
            "kernels_before" => kernelsBefore,
            "weights_1_2_before" => weightsBefore,
            "layer_0" => s.Layer0,
            "flattened_input" => s.FlattenedInput,
            "kernel_output" => s.KernelOutput,
            "layer_1_tanh" => s.Layer1Tanh,
            "dropout_mask" => s.DropoutMask,
            "layer_1" => s.Layer1,
            "layer_2" => s.Layer2,
            "layer_2_delta" => s.Layer2Delta,
            "layer_1_delta" => s.Layer1Delta,
            "weights_1_2_update" => s.WeightsUpdate,
            "k_update" => s.KernelsUpdate,
            "kernels_after" => network.Kernels,
            "weights_1_2_after" => network.WeightsOneTwo,
            _ => null,
        };
}
