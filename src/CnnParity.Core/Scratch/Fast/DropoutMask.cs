using System.Runtime.Intrinsics;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>The dropout mask as bytes: <c>np.random.randint(2, size=(B, hidden))</c>, drawn as NumPy draws it.</summary>
internal static unsafe class DropoutMask
{
    /// <summary>
    /// NumPy's masked bounded integers for <c>randint(2)</c>: range 1, mask 1, one 32-bit word per element,
    /// <c>v = word &amp; 1</c>, rejected while <c>v &gt; 1</c> (never). So each element is the low bit of the next
    /// word, and the stream advances exactly as <see cref="NumPyRandomState.RandInt(long, long, Span{double})"/> does.
    /// The words are made eight at a time (<see cref="NumPyRandomState.RandIntBits"/>).
    /// </summary>
    public static void Draw(NumPyRandomState random, byte[] mask) => random.RandIntBits(mask);

    /// <summary>A 0/1 mask given as float64 (e.g. replayed from NumPy); any other value is refused.</summary>
    public static void FromDoubles(ReadOnlySpan<double> values, byte[] mask)
    {
        fixed (double* v = values)
        fixed (byte* m = mask)
        {
            int i = 0;
            // Exactly +0.0 or 1.0 (a -0.0 would flip the sign of a dropped unit's zero).
            Vector256<long> one = Vector256.Create(BitConverter.DoubleToInt64Bits(1.0));
            for (; i + 4 <= mask.Length; i += 4)
            {
                Vector256<long> x = Vector256.Load(v + i).AsInt64();
                Vector256<long> isOne = Vector256.Equals(x, one);
                if (!Vector256.EqualsAll(isOne | Vector256.Equals(x, Vector256<long>.Zero), Vector256<long>.AllBitsSet))
                {
                    break; // a value that is not 0 or 1: reported below
                }
                Vector256<long> bits = isOne & Vector256.Create(1L);
                *(uint*)(m + i) = (uint)(bits.GetElement(0) | bits.GetElement(1) << 8 | bits.GetElement(2) << 16 | bits.GetElement(3) << 24);
            }
            for (; i < mask.Length; i++)
            {
                long x = BitConverter.DoubleToInt64Bits(v[i]);
                m[i] = x == 0 ? (byte)0 : x == BitConverter.DoubleToInt64Bits(1.0) ? (byte)1
                    : throw new ArgumentException($"dropout mask value {v[i]:R} at [{i}] is not 0 or 1");
            }
        }
    }
}
