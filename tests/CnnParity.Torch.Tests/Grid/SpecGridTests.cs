using CnnParity.Core.Architecture;
using CnnParity.Parity.Grid;
using Xunit.Abstractions;

namespace CnnParity.Torch.Tests.Grid;

/// <summary>The grid's generator: valid, seeded the same everywhere, covering the space issue 11 names.</summary>
public class SpecGridTests(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        for (int i = 0; i < 40; i++) output.WriteLine($"{i}: {SpecGrid.Draw(1, i).Text}");
    }
}
