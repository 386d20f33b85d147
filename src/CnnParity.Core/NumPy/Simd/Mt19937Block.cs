using System.Runtime.Intrinsics;

namespace CnnParity.Core.NumPy.Simd;

/// <summary>
/// MT19937's two steps, eight words at a time: the twist that regenerates the 624-word state
/// (<c>mt19937_gen</c> in <c>numpy/random/src/mt19937/mt19937.c</c>) and the tempering of each output. The word
/// sequence is exactly <see cref="NumPyRandomState.NextUInt32"/>'s: a twisted word depends on words
/// 1 and 397 places on (already twisted when they are 227 places back), so blocks of eight consecutive words
/// never read a word the same block writes; the few words next to those boundaries are done one at a time.
/// </summary>
public static unsafe class Mt19937Block
{
    /// <summary>Words of state.</summary>
    public const int N = 624;

    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    /// <summary>Regenerates all 624 words of <paramref name="state"/> in place.</summary>
    public static void Twist(Span<uint> state)
    {
        if (state.Length != N)
        {
            throw new ArgumentException($"the state has {N} words", nameof(state));
        }
        fixed (uint* mt = state)
        {
            Twist(mt);
        }
    }

    /// <summary>Regenerates all 624 words of <paramref name="mt"/> in place.</summary>
    public static void Twist(uint* mt)
    {
        int i = 0;
        // Words 0..226 read words i+1 and i+397, both still untwisted.
        for (; i + 8 <= N - M; i += 8)
        {
            Vector256.Store(Next(Vector256.Load(mt + i), Vector256.Load(mt + i + 1), Vector256.Load(mt + i + M)), mt + i);
        }
        for (; i < N - M; i++)
        {
            mt[i] = Next(mt[i], mt[i + 1], mt[i + M]);
        }
        // Words 227..622 read word i+1 (untwisted) and word i-227 (twisted above).
        for (; i + 8 <= N - 1; i += 8)
        {
            Vector256.Store(Next(Vector256.Load(mt + i), Vector256.Load(mt + i + 1), Vector256.Load(mt + i + (M - N))), mt + i);
        }
        for (; i < N - 1; i++)
        {
            mt[i] = Next(mt[i], mt[i + 1], mt[i + (M - N)]);
        }
        mt[N - 1] = Next(mt[N - 1], mt[0], mt[M - 1]);
    }

    /// <summary>The tempered outputs of state words [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>), low bit only, as 0/1 bytes.</summary>
    public static void LowBits(uint* mt, int from, int count, byte* output)
    {
        int i = 0;
        Vector256<uint> one = Vector256.Create(1u);
        for (; i + 32 <= count; i += 32)
        {
            uint* w = mt + from + i;
            Vector256<uint> a = Temper(Vector256.Load(w)) & one, b = Temper(Vector256.Load(w + 8)) & one;
            Vector256<uint> c = Temper(Vector256.Load(w + 16)) & one, d = Temper(Vector256.Load(w + 24)) & one;
            // 0/1 words to bytes, in order (a narrowing keeps the low half of each element).
            Vector256.Store(Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)), output + i);
        }
        for (; i < count; i++)
        {
            output[i] = (byte)(Temper(mt[from + i]) & 1);
        }
    }

    private static uint Next(uint current, uint next, uint far)
    {
        uint y = (current & UpperMask) | (next & LowerMask);
        return far ^ (y >> 1) ^ ((y & 1U) != 0 ? MatrixA : 0U);
    }

    private static Vector256<uint> Next(Vector256<uint> current, Vector256<uint> next, Vector256<uint> far)
    {
        Vector256<uint> y = (current & Vector256.Create(UpperMask)) | (next & Vector256.Create(LowerMask));
        Vector256<uint> odd = Vector256.Equals(y & Vector256.Create(1u), Vector256.Create(1u));
        return far ^ (y >> 1) ^ (odd & Vector256.Create(MatrixA));
    }

    /// <summary><c>mt19937_next32</c>'s tempering.</summary>
    public static uint Temper(uint y)
    {
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        return y ^ (y >> 18);
    }

    private static Vector256<uint> Temper(Vector256<uint> y)
    {
        y ^= y >> 11;
        y ^= (y << 7) & Vector256.Create(0x9d2c5680U);
        y ^= (y << 15) & Vector256.Create(0xefc60000U);
        return y ^ (y >> 18);
    }
}
