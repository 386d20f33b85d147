using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Engines;

/// <summary>The from-scratch engine that trains a run, chosen in one place.</summary>
public static class TrainingEngines
{
    /// <summary>
    /// The from-scratch run of <paramref name="options"/>: ch10 in float64 on the chapter-10 engine (<see cref="Chapter10Engine"/>,
    /// the fast path, NumPy's bits) under <paramref name="mode"/>'s rule; any other spec, and ch10 in float32, on the generic
    /// <see cref="SpecTrainer"/> (SGD on the spec's loss: the corrected rule for ch10). Started from <paramref name="start"/>
    /// (the spec's layout) when given, with the seed's masks either way.
    /// </summary>
    public static ILockstepEngine FromScratch(SpecTrainerOptions options, ScratchData data, ParameterSet<double>? start = null,
        TrainingMode mode = TrainingMode.Corrected)
    {
        if (options.Spec.IsChapter10 && options.Dtype == Dtype.Float64)
        {
            return Chapter10Engine.Create(options, data, mode, start);
        }
        if (mode == TrainingMode.Book)
        {
            throw new CnnParityException("the book's update rule is the chapter-10 network's, in float64");
        }
        return new SpecTrainer(options, data, start);
    }
}
