using CnnParity.Core.Architecture;

namespace CnnParity.Core.Data;

/// <summary>
/// One split of an MNIST-format dataset: images and their labels, as the raw bytes of the files.
/// The NumPy reference normalises with <c>x / 255</c> and one-hot encodes the labels; the methods here
/// produce exactly those doubles so both sides start from identical inputs.
/// </summary>
public sealed class LabelledImages
{
    public int Count => Labels.Length;
    public int Rows { get; }
    public int Cols { get; }
    public int PixelsPerImage => Rows * Cols;

    /// <summary>Count x Rows x Cols bytes, row-major, image after image (the IDX3 payload).</summary>
    public byte[] Pixels { get; }

    /// <summary>One class 0..9 per image (the IDX1 payload).</summary>
    public byte[] Labels { get; }

    public LabelledImages(int rows, int cols, byte[] pixels, byte[] labels)
    {
        if (rows <= 0 || cols <= 0 || pixels.LongLength != (long)labels.Length * rows * cols)
            throw new ArgumentException($"{pixels.Length} pixels do not make {labels.Length} images of {rows}x{cols}");
        Rows = rows;
        Cols = cols;
        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>Pairs an images file with its labels file; the two counts must agree.</summary>
    public static LabelledImages From(IdxImages images, IdxLabels labels)
    {
        if (images.Count != labels.Count)
            throw new IdxFormatException(labels.Path,
                $"count mismatch: {labels.Count} labels but {Path.GetFileName(images.Path)} holds {images.Count} images");
        return new LabelledImages(images.Rows, images.Cols, images.Pixels, labels.Values);
    }

    public static LabelledImages Load(string imagesPath, string labelsPath) =>
        From(IdxReader.ReadImages(imagesPath), IdxReader.ReadLabels(labelsPath));

    /// <summary>Loads the train or test split of <paramref name="dataset"/> from <paramref name="folder"/>.</summary>
    public static LabelledImages Load(string folder, DatasetInfo dataset, DatasetSplit split) =>
        Load(Path.Combine(folder, dataset.File(split, IdxContent.Images).FileName),
             Path.Combine(folder, dataset.File(split, IdxContent.Labels).FileName));

    /// <summary>The first <paramref name="count"/> images, e.g. the first 1000 training images the book trains on.</summary>
    public LabelledImages Take(int count)
    {
        if (count < 0 || count > Count)
            throw new CnnParityException($"cannot take {count} images: the split holds {Count}");
        return new LabelledImages(Rows, Cols, Pixels[..(count * PixelsPerImage)], Labels[..count]);
    }

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>
    /// <c>pixel / 255.0</c> per pixel, NumPy's <c>x / 255</c> on uint8: a correctly rounded division.
    /// Multiplying by <c>1.0 / 255</c> would differ in the last bit for some pixel values.
    /// </summary>
    public double[] NormalisedPixels()
    {
        var result = new double[Pixels.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = Pixels[i] / 255.0;
        return result;
    }

    /// <summary>Count x 10, row i has 1.0 at column Labels[i] and 0.0 elsewhere.</summary>
    public double[] OneHotLabels()
    {
        var result = new double[Count * ArchitectureSpec.Classes];
        for (int i = 0; i < Count; i++)
            result[i * ArchitectureSpec.Classes + Labels[i]] = 1.0;
        return result;
    }

    /// <summary>How many images of each class 0..9.</summary>
    public int[] ClassCounts() => CountClasses(Labels);

    public static int[] CountClasses(ReadOnlySpan<byte> labels)
    {
        var counts = new int[ArchitectureSpec.Classes];
        foreach (byte label in labels)
            counts[label]++;
        return counts;
    }
}
