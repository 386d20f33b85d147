using CnnParity.Core.Data;
using CnnParity.Core.Scratch;

namespace CnnParity.Onnx.Tests;

/// <summary>Real MNIST, found as the CLI finds it; tests that need it skip (never pass) without it.</summary>
static class RealData
{
    static readonly DataFolder Folder = DataLocator.ForCurrentProcess().Resolve(DatasetCatalog.Mnist, null);

    public static ScratchData Load(int trainCount, int testCount)
    {
        Skip.IfNot(DatasetCatalog.Mnist.Files.All(f => File.Exists(Path.Combine(Folder.Path, f.FileName))),
            $"MNIST not found in {Folder.Path} ({Folder.Reason})");
        return ScratchData.Load(Folder.Path, trainCount, testCount);
    }
}
