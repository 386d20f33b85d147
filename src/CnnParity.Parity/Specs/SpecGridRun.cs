using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Grid;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Checks the specs of a grid (or of one shard of it) in float64: each spec drawn from (seed, index), set up from the
/// seed as the engine trains it, forward per named layer and gradients per named parameter. A spec whose check throws
/// is recorded as failed with the exception's message, and the run goes on to the next.
/// </summary>
public static class SpecGridRun
{
    public static IReadOnlyList<SpecParityResult> Run(GridSelection grid, ScratchData data, SpecParitySettings settings,
        Action<SpecParityResult>? onSpec = null, CancellationToken cancel = default)
    {
        var results = new List<SpecParityResult>();
        foreach (int index in grid.ExpectedIndices)
        {
            cancel.ThrowIfCancellationRequested();
            var drawn = SpecGrid.Draw(grid.Seed, index);
            SpecParityResult result;
            try
            {
                result = Checks(SpecParitySetup.FromSeed(SpecGrid.Build(drawn), data, settings), index);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                result = SpecParityResult.Failed(index, drawn.Text, $"the check threw {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
            results.Add(result);
            onSpec?.Invoke(result);
        }
        return results;
    }

    /// <summary>The forward and gradient checks of one spec in float64 and float32 (no lockstep): what the grid asks of every spec.</summary>
    public static SpecParityResult Checks(SpecParitySetup setup, int? index) =>
        new(index, setup.Spec.DisplayName,
            [.. SpecForwardParity.Run(setup, Dtype.Float64), .. SpecForwardParity.Run(setup, Dtype.Float32)],
            [.. SpecGradientParity.Run(setup, Dtype.Float64), .. SpecGradientParity.Run(setup, Dtype.Float32)], [], null, null);
}
