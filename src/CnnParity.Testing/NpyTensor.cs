using System.Runtime.InteropServices;
using CnnParity.Testing.NumPy;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>An .npy array as a TorchSharp tensor of the same dtype and shape (a copy; the bits are kept).</summary>
internal static class NpyTensor
{
    public static Tensor From(NpyArray a, string name)
    {
        long[] shape = [.. a.Shape.Select(d => (long)d)];
        var bytes = a.Data.AsSpan();
        Tensor flat = a.Descr switch
        {
            "<f4" => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray()),
            "<f8" => tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray()),
            "<i8" => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray()),
            "<i4" => tensor(MemoryMarshal.Cast<byte, int>(bytes).ToArray()),
            "|u1" => tensor(bytes.ToArray()),
            "|b1" => tensor(bytes.ToArray().Select(b => b != 0).ToArray()),
            _ => throw new InvalidDataException($"{name}: dtype {a.Descr} has no tensor counterpart here (use float32/64, int32/64, uint8 or bool)"),
        };
        using (flat) return flat.reshape(shape).clone();
    }

    /// <summary>ASCII text stored as a uint8 array (torch_golden.py's meta/ entries).</summary>
    public static string Text(NpyArray a) =>
        a.Descr == "|u1" ? System.Text.Encoding.ASCII.GetString(a.Data) : throw new InvalidDataException($"text must be uint8, not {a.Descr}");
}
