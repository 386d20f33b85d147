namespace CnnParity.Core.Data;

/// <summary>
/// The one place that names the datasets, their files, checksums and mirrors.
/// </summary>
public static class DatasetCatalog
{
    private const string Official = "official files";
    private const string DebianRepack = "Debian package dataset-fashion-mnist";

    /// <summary>
    /// MNIST (LeCun, Cortes, Burges). SHA-256s of the official .gz files as listed in
    /// shared/data/mnist/README.md.
    /// </summary>
    public static DatasetInfo Mnist { get; } = new(
        "mnist",
        [
            File("train-images-idx3-ubyte.gz", DatasetSplit.Train, IdxContent.Images,
                 new KnownDigest("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", Official)),
            File("train-labels-idx1-ubyte.gz", DatasetSplit.Train, IdxContent.Labels,
                 new KnownDigest("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", Official)),
            File("t10k-images-idx3-ubyte.gz", DatasetSplit.Test, IdxContent.Images,
                 new KnownDigest("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", Official)),
            File("t10k-labels-idx1-ubyte.gz", DatasetSplit.Test, IdxContent.Labels,
                 new KnownDigest("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", Official)),
        ],
        [
            new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new("http://yann.lecun.com/exdb/mnist/"),
        ],
        CheckoutFolder: "shared/data/mnist",
        SystemFolder: null);

    /// <summary>
    /// Fashion-MNIST (Xiao, Rasul, Vollgraf, Zalando Research). Two digests per file:
    /// the official .gz served by the mirror (SHA-256 as published alongside the mirror URL by
    /// independent loaders, e.g. the "mnists" script by C. Olding), and the Debian package
    /// dataset-fashion-mnist 0.0~git20200523, which recompressed the same IDX files without the
    /// original gzip name and mtime, so its bytes (and MD5s) differ from the upstream README.
    /// </summary>
    public static DatasetInfo FashionMnist { get; } = new(
        "fashion-mnist",
        [
            File("train-images-idx3-ubyte.gz", DatasetSplit.Train, IdxContent.Images,
                 new KnownDigest("08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc", Official),
                 new KnownDigest("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", DebianRepack)),
            File("train-labels-idx1-ubyte.gz", DatasetSplit.Train, IdxContent.Labels,
                 new KnownDigest("b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc", Official),
                 new KnownDigest("0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", DebianRepack)),
            File("t10k-images-idx3-ubyte.gz", DatasetSplit.Test, IdxContent.Images,
                 new KnownDigest("78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229", Official),
                 new KnownDigest("cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", DebianRepack)),
            File("t10k-labels-idx1-ubyte.gz", DatasetSplit.Test, IdxContent.Labels,
                 new KnownDigest("42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf", Official),
                 new KnownDigest("8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", DebianRepack)),
        ],
        [new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")],
        CheckoutFolder: null,
        SystemFolder: "/usr/share/datasets/fashion-mnist");

    public static IReadOnlyList<DatasetInfo> All { get; } = [Mnist, FashionMnist];

    /// <summary>The dataset called <paramref name="name"/>; an unknown name is a usage error.</summary>
    public static DatasetInfo Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new CnnParityException(
            $"unknown dataset '{name}': known datasets are {string.Join(", ", All.Select(d => d.Name))}");

    private static DatasetFile File(string name, DatasetSplit split, IdxContent content, params KnownDigest[] digests) =>
        new(name, split, content, digests);
}
