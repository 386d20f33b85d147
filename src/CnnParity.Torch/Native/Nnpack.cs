using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace CnnParity.Torch.Native;

/// <summary>
/// Whether LibTorch's NNPACK initialises on this CPU: <c>at::native::_nnpack_available()</c>, which PyTorch calls as
/// <c>torch.backends.nnpack.is_available()</c> and TorchSharp does not wrap. It is exported from libtorch_cpu.so under
/// its C++ name; on a CPU NNPACK does not support it prints LibTorch's "Could not initialize NNPACK!" warning once.
/// </summary>
public static class Nnpack
{
    const string Library = "libtorch_cpu.so", Symbol = "_ZN2at6native17_nnpack_availableEv";

    /// <summary>True or false as LibTorch says; null where the function cannot be found (another platform or build).</summary>
    public static bool? Available()
    {
        _ = get_num_threads(); // LibTorch loaded (and its libtorch_cpu.so with it) before looking it up
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, out nint library) || !NativeLibrary.TryGetExport(library, Symbol, out nint function))
            return null;
        return Marshal.GetDelegateForFunctionPointer<BoolFunction>(function)() != 0;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate byte BoolFunction();
}
