namespace CnnParity.Parity.Grid;

/// <summary>
/// The space of random specs the grid draws from, each bound written once: 1–3 conv layers, kernel 1–7, stride 1–3,
/// padding 0–3 (the geometry small CNNs on 28x28 images use, every edge case of a convolution's arithmetic within
/// it), pools, every activation, dropout, dense widths. Widths stay small so that a
/// spec's parity check takes a fraction of a second: the grid is about layer geometry, not capacity.
/// </summary>
public static class GridSpace
{
    public const int MinConvLayers = 1, MaxConvLayers = 3;
    public const int MaxChannels = 8;
    public const int MinKernel = 1, MaxKernel = 7;
    public const int MinStride = 1, MaxStride = 3;
    public const int MinPadding = 0, MaxPadding = 3;
    public const int MaxPoolKernel = 3, MaxPoolStride = 3;
    public const int MaxHiddenDense = 2, MaxDenseWidth = 64;

    /// <summary>Dropout probabilities a block may carry: half the blocks none; index 0 (none) is what shrinking tends to.</summary>
    public static readonly double[] DropoutChoices = [0, 0, 0.25, 0.5];
}
