using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CnnParity.Core.Engines;

/// <summary>
/// Arrays on the pinned object heap: the engine's kernels and worker threads hold raw pointers into parameters,
/// activations and gradients for the whole of a pass, which is safe only for arrays the GC never moves.
/// </summary>
internal static unsafe class PinnedArray
{
    public static T[] Allocate<T>(int length) where T : unmanaged => GC.AllocateArray<T>(length, pinned: true);

    public static T[] Copy<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        T[] array = GC.AllocateUninitializedArray<T>(values.Length, pinned: true);
        values.CopyTo(array);
        return array;
    }

    /// <summary>The address of element 0 (valid only for an array from this class, or an empty one, which has none).</summary>
    public static T* Address<T>(T[] array) where T : unmanaged =>
        array.Length == 0 ? null : (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
}
