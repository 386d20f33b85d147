namespace CnnParity.Core.Data;

/// <summary>What an IDX file holds; the catalog and the reader both speak in these terms.</summary>
public enum IdxContent
{
    /// <summary>IDX3, magic 0x00000803: count x rows x cols unsigned bytes.</summary>
    Images,

    /// <summary>IDX1, magic 0x00000801: count unsigned bytes, each a class 0..9.</summary>
    Labels,
}

/// <summary>The payload of an IDX3 file: <paramref name="Count"/> row-major images, one after another.</summary>
public sealed record IdxImages(string Path, int Count, int Rows, int Cols, byte[] Pixels);

/// <summary>The payload of an IDX1 file: one class (0..9) per byte.</summary>
public sealed record IdxLabels(string Path, byte[] Values)
{
    public int Count => Values.Length;
}
