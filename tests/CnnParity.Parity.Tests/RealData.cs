using CnnParity.Core.Data;
using CnnParity.Core.Scratch;

namespace CnnParity.Parity.Tests;

/// <summary>Real MNIST for the parity tests, found as the CLI finds it; tests skip (never pass) without it.</summary>
static class RealData
{
    static readonly DataFolder Folder = DataLocator.ForCurrentProcess().Resolve(DatasetCatalog.Mnist, null);
    static readonly Lazy<ScratchData> All = new(() => ScratchData.Load(Folder.Path, 1000, 10000));

    /// <summary>The first 1000 training and the first <paramref name="testCount"/> test images.</summary>
    public static ScratchData Load(int testCount = 10000)
    {
        Skip.IfNot(DatasetCatalog.Mnist.Files.All(f => File.Exists(Path.Combine(Folder.Path, f.FileName))),
            $"MNIST not found in {Folder.Path} ({Folder.Reason})");
        var all = All.Value;
        return testCount == all.TestCount ? all
            : new ScratchData(all.TrainImages, all.TrainLabels, all.TestImages[..(testCount * 784)], all.TestLabels[..testCount]);
    }
}
