using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// A vector of float64 lanes as the fast kernels use it, one independent output per lane. The kernels are written
/// once against this interface and instantiated with <see cref="Lanes4"/> (Vector256) or <see cref="Lanes8"/>
/// (Vector512), so both widths run the same operations in the same order on every lane by construction: a rounded
/// multiply, then a rounded add (no fused multiply-add anywhere here).
/// </summary>
internal unsafe interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf Load(double* source);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Broadcast(double value);

    /// <summary><see cref="Count"/> 0/1 mask bytes as float64, as <c>float_array *= int_array</c> converts them.</summary>
    static abstract TSelf Mask(byte* mask);

    void Store(double* destination);

    double this[int lane] { get; }

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator *(TSelf left, TSelf right);
}

/// <summary>Four float64 lanes: <see cref="Vector256{T}"/>.</summary>
internal readonly unsafe struct Lanes4(Vector256<double> value) : ILanes<Lanes4>
{
    public readonly Vector256<double> Value = value;

    public static int Count => 4;

    public static Lanes4 Zero => new(Vector256<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Load(double* source) => new(Vector256.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Broadcast(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Mask(byte* mask) => Avx.IsSupported
        ? new(Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(mask)))
        : new(Vector256.Create((double)mask[0], mask[1], mask[2], mask[3]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(double* destination) => Vector256.Store(Value, destination);

    public double this[int lane] => Value.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator +(Lanes4 left, Lanes4 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator -(Lanes4 left, Lanes4 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator *(Lanes4 left, Lanes4 right) => new(left.Value * right.Value);
}

/// <summary>Eight float64 lanes: <see cref="Vector512{T}"/>.</summary>
internal readonly unsafe struct Lanes8(Vector512<double> value) : ILanes<Lanes8>
{
    public readonly Vector512<double> Value = value;

    public static int Count => 8;

    public static Lanes8 Zero => new(Vector512<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Load(double* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Broadcast(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Mask(byte* mask) => Avx512F.IsSupported
        ? new(Avx512F.ConvertToVector512Double(Avx2.ConvertToVector256Int32(mask)))
        : new(Vector512.Create(Lanes4.Mask(mask).Value, Lanes4.Mask(mask + 4).Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(double* destination) => Vector512.Store(Value, destination);

    public double this[int lane] => Value.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator +(Lanes8 left, Lanes8 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator -(Lanes8 left, Lanes8 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator *(Lanes8 left, Lanes8 right) => new(left.Value * right.Value);
}
