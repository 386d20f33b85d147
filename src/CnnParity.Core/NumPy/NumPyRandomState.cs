namespace CnnParity.Core.NumPy;

/// <summary>
/// NumPy's legacy <c>np.random.RandomState</c> (MT19937), bit for bit: the same seeding, the same
/// 32-bit stream, the same doubles and the same bounded integers as NumPy (checked against goldens
/// made by real NumPy in <c>reference/golden/rng</c>).
/// Sources mirrored: <c>numpy/random/src/mt19937/mt19937.c</c> (seeding and generation),
/// <c>numpy/random/src/distributions/distributions.c</c> (<c>random_bounded_uint64_fill</c>) and
/// <c>numpy/random/_bounded_integers.pyx.in</c> (<c>_rand_int64</c>, the default dtype of <c>randint</c>).
/// Not thread-safe: one stream, one consumer, as in NumPy.
/// </summary>
public sealed class NumPyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[N];
    private int _pos;

    /// <summary><c>np.random.seed(seed)</c>: any integer in [0, 2^32-1].</summary>
    public NumPyRandomState(uint seed) => Seed(seed);

    private NumPyRandomState(NumPyRandomState other)
    {
        Array.Copy(other._key, _key, N);
        _pos = other._pos;
    }

    /// <summary>
    /// <c>np.random.seed(int)</c>. NumPy seeds a scalar integer with <c>mt19937_seed</c>, which is
    /// Matsumoto and Nishimura's <c>init_genrand</c> (not <c>init_by_array</c>, which it uses for arrays).
    /// </summary>
    public void Seed(uint seed)
    {
        for (int pos = 0; pos < N; pos++)
        {
            _key[pos] = seed;
            seed = unchecked(1812433253U * (seed ^ (seed >> 30)) + (uint)pos + 1U);
        }
        _pos = N;
    }

    /// <summary>An independent copy that continues the same stream.</summary>
    public NumPyRandomState Clone() => new(this);

    /// <summary>The next raw 32-bit output of MT19937 (<c>mt19937_next32</c>).</summary>
    public uint NextUInt32()
    {
        if (_pos == N)
        {
            Generate();
        }
        uint y = _key[_pos++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        return y ^ (y >> 18);
    }

    /// <summary><c>mt19937_next64</c>: the first 32-bit draw is the high half.</summary>
    public ulong NextUInt64()
    {
        ulong hi = NextUInt32();
        return (hi << 32) | NextUInt32();
    }

    /// <summary>
    /// <c>random_sample()</c> / <c>random()</c>: a double in [0, 1) with 53 random bits, two 32-bit draws,
    /// the first one giving the high 27 bits.
    /// </summary>
    public double RandomSample()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>random_sample(size)</c>: fills <paramref name="destination"/> in C order.</summary>
    public void RandomSample(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = RandomSample();
        }
    }

    /// <summary><c>randint(high)</c>: an integer in [0, high).</summary>
    public long RandInt(long high) => RandInt(0, high);

    /// <summary><c>randint(low, high)</c>: an integer in [low, high) (default dtype int64).</summary>
    public long RandInt(long low, long high)
    {
        (ulong off, ulong rng) = Bounds(low, high);
        return unchecked((long)(off + BoundedMasked(rng)));
    }

    /// <summary><c>randint(low, high, size)</c>: fills <paramref name="destination"/> in C order.</summary>
    public void RandInt(long low, long high, Span<long> destination)
    {
        (ulong off, ulong rng) = Bounds(low, high);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = unchecked((long)(off + BoundedMasked(rng)));
        }
    }

    /// <summary>
    /// <c>randint(low, high, size)</c> converted to float64, as <c>float_array *= int_array</c> converts it.
    /// Draws exactly the same stream as the <see cref="long"/> overload.
    /// </summary>
    public void RandInt(long low, long high, Span<double> destination)
    {
        (ulong off, ulong rng) = Bounds(low, high);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = unchecked((long)(off + BoundedMasked(rng)));
        }
    }

    /// <summary>
    /// <c>randint(0, 2, size)</c> as 0/1 bytes, the dropout mask's draw, made eight words at a time: NumPy's masked
    /// bounded integers take one 32-bit word per element for range 1 (mask 1, never rejected), so each element is
    /// the low bit of the next tempered word. The same stream as <see cref="RandInt(long, long, Span{double})"/>.
    /// </summary>
    internal unsafe void RandIntBits(Span<byte> destination)
    {
        fixed (uint* mt = _key)
        fixed (byte* output = destination)
        {
            int done = 0;
            while (done < destination.Length)
            {
                if (_pos == N)
                {
                    Simd.Mt19937Block.Twist(mt);
                    _pos = 0;
                }
                int take = Math.Min(N - _pos, destination.Length - done);
                Simd.Mt19937Block.LowBits(mt, _pos, take, output + done);
                _pos += take;
                done += take;
            }
        }
    }

    /// <summary>
    /// <c>permutation(n)</c>: <c>arange(n)</c> shuffled as NumPy 1.24's legacy <c>shuffle</c> does it (Fisher–Yates from
    /// the end: for i = n-1 down to 1, swap element i with element <c>random_interval(i)</c>), so a training loop that
    /// draws <c>order = np.random.permutation(n)</c> gets the same order and leaves the stream where NumPy leaves it.
    /// Source mirrored: <c>numpy/random/mtrand.pyx</c> (<c>permutation</c>, <c>shuffle</c>, <c>_shuffle_raw</c>).
    /// </summary>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        for (int i = n - 1; i >= 1; i--)
        {
            int j = (int)RandomInterval((ulong)i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>
    /// Legacy <c>random_interval(max)</c> (<c>distributions.c</c>): a value in [0, max] by masked rejection, whole 32-bit
    /// draws while max fits 32 bits, 64-bit draws beyond; max = 0 takes no draw.
    /// </summary>
    private ulong RandomInterval(ulong max)
    {
        if (max == 0)
        {
            return 0;
        }
        ulong mask = GenMask(max);
        if (max <= 0xFFFFFFFFUL)
        {
            ulong value;
            while ((value = NextUInt32() & mask) > max)
            {
            }
            return value;
        }
        ulong wide;
        while ((wide = NextUInt64() & mask) > max)
        {
        }
        return wide;
    }

    private static (ulong Off, ulong Rng) Bounds(long low, long high)
    {
        if (low >= high)
        {
            throw new ArgumentOutOfRangeException(nameof(high), $"randint: low >= high ({low} >= {high})");
        }
        // NumPy works on the closed interval [low, high - 1]; rng = (high - 1) - low as uint64.
        return (unchecked((ulong)low), unchecked((ulong)(high - 1) - (ulong)low));
    }

    /// <summary>
    /// NumPy's legacy masked rejection (<c>use_masked=True</c>): draw, AND with the smallest all-ones
    /// mask covering <paramref name="rng"/>, reject while above it. A range that fits 32 bits takes whole
    /// 32-bit draws (no buffering of half-words); rng = 0 takes no draw at all.
    /// </summary>
    private ulong BoundedMasked(ulong rng)
    {
        if (rng == 0)
        {
            return 0;
        }
        if (rng <= 0xFFFFFFFFUL)
        {
            if (rng == 0xFFFFFFFFUL)
            {
                return NextUInt32();
            }
            uint mask = (uint)GenMask(rng);
            uint v;
            while ((v = NextUInt32() & mask) > rng)
            {
            }
            return v;
        }
        if (rng == 0xFFFFFFFFFFFFFFFFUL)
        {
            return NextUInt64();
        }
        ulong mask64 = GenMask(rng);
        ulong w;
        while ((w = NextUInt64() & mask64) > rng)
        {
        }
        return w;
    }

    private static ulong GenMask(ulong max)
    {
        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        return mask;
    }

    private void Generate()
    {
        uint[] mt = _key;
        int i;
        uint y;
        for (i = 0; i < N - M; i++)
        {
            y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + M] ^ (y >> 1) ^ ((y & 1U) != 0 ? MatrixA : 0U);
        }
        for (; i < N - 1; i++)
        {
            y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + (M - N)] ^ (y >> 1) ^ ((y & 1U) != 0 ? MatrixA : 0U);
        }
        y = (mt[N - 1] & UpperMask) | (mt[0] & LowerMask);
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ ((y & 1U) != 0 ? MatrixA : 0U);
        _pos = 0;
    }
}
