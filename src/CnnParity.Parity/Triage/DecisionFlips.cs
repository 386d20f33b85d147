using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Reference;

namespace CnnParity.Parity.Triage;

/// <summary>
/// Classifies where a side's branch decisions differ from the float64 truth's. A ReLU element is decided by rounding when
/// the truth's input is within its bound of 0; a ReLU6 element when it is within its bound of the kink (0 or 6) between
/// the two decisions (a side at 0 where the truth is at 6 is never explained); a max-pool pick when the truth's winner leads the side's pick by no more
/// than the two elements' bounds together. Anything else is a decision the bound does not explain.
/// </summary>
public static class DecisionFlips
{
    /// <param name="truth">the reference's pass (values and carried rounding)</param>
    /// <param name="truthDecisions">the decisions the truth took (<see cref="ReferenceNetwork.Decisions"/>)</param>
    /// <param name="side">the side's decisions (<see cref="BranchDecisions.FromOutputs"/>)</param>
    /// <param name="dtype">what the side computes in (the bound's unit roundoff)</param>
    public static BranchFlips Classify(ReferencePass truth, BranchDecisions truthDecisions, BranchDecisions side, Dtype dtype)
    {
        var spec = truth.Spec;
        var flips = BranchFlips.None;
        for (int l = 0; l < spec.Layers.Count; l++)
        {
            var layer = spec.Layers[l];
            int[]? mine = truthDecisions.Of(layer.Name), theirs = side.Of(layer.Name);
            if (mine is null || theirs is null) continue;
            var input = truth.InputOf(l);
            long decided = 0, beyond = 0;
            for (int i = 0; i < mine.Length; i++)
            {
                if (mine[i] == theirs[i]) continue;
                bool explained = layer.Spec switch
                {
                    Pool2dSpec => PickExplained(layer, input, i, mine[i], theirs[i], dtype),
                    ActivationSpec { Kind: ActivationKind.ReLU6 } => BranchDecisions.ReLU6Kink(mine[i], theirs[i]) is double kink
                        && Math.Abs(input.Value[i] - kink) <= RoundingBound.Of(input, i, dtype),
                    _ => Math.Abs(input.Value[i]) <= RoundingBound.Of(input, i, dtype),
                };
                if (explained) decided++;
                else beyond++;
            }
            if (decided + beyond > 0)
                flips = flips.Plus(new BranchFlips(decided, beyond, beyond > 0 ? layer.Name : null, [(layer.Name, decided, beyond)]));
        }
        return flips;
    }

    // Output element o of a max-pool: the truth picked plane index `mine`, the side `theirs`.
    private static bool PickExplained(SpecLayer layer, Carried input, int o, int mine, int theirs, Dtype dtype)
    {
        int plane = o / (layer.Output.Height * layer.Output.Width), offset = plane * layer.Input.Height * layer.Input.Width;
        int a = offset + mine, b = offset + theirs;
        double lead = input.Value[a] - input.Value[b];
        return lead <= RoundingBound.Of(input, a, dtype) + RoundingBound.Of(input, b, dtype);
    }
}
