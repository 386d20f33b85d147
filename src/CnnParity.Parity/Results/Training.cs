namespace CnnParity.Parity.Results;

/// <summary>One epoch of one model.</summary>
/// <param name="MaxParamRelDiff">lockstep only: the drift of the twin from the engine after the epoch
/// (<see cref="Specs.LockstepEpoch.Drift"/>: max |twin − engine| over a tensor relative to its largest value, the worst tensor's)</param>
/// <param name="Loss">mean training loss of the epoch where the model computes one (null for book mode)</param>
/// <param name="Sensitivity">lockstep only: the same measure as <paramref name="MaxParamRelDiff"/> between the
/// from-scratch engine and itself started one ULP away (<see cref="Specs.LockstepEpoch.Sensitivity"/>)</param>
public sealed record EpochRecord(int Epoch, double TestAcc, double TrainAcc, double? MaxParamRelDiff = null, double? Loss = null,
    double? Sensitivity = null);

/// <summary>A whole training run and the test predictions of its final weights.</summary>
/// <param name="Model">display name, e.g. "from-scratch engine (book rule, f64)", "from-scratch engine (lockstep, f64)", "TorchSharp twin (lockstep, f64)", "ML.NET linear (LbfgsMaximumEntropy)"</param>
/// <param name="TestLabels">true labels of the test images used</param>
/// <param name="TestPredictions">argmax per test image</param>
/// <param name="TestProbabilities">softmax scores per test image (row-major, 10 per image), for log-loss</param>
/// <param name="Diverged">null, or where and why training stopped (NaN/Inf)</param>
public sealed record TrainingRun(
    string Model,
    IReadOnlyList<EpochRecord> Epochs,
    byte[] TestLabels,
    int[] TestPredictions,
    double[] TestProbabilities,
    string? Diverged = null,
    IReadOnlyList<PredictionFlip>? Flips = null);

/// <summary>
/// A test image that the lockstep twins classify differently at some epoch, and how close to a tie the
/// from-scratch logits were (top-1 minus top-2).
/// </summary>
public sealed record PredictionFlip(int Epoch, int Image, int ScratchPrediction, int TwinPrediction, double ScratchMargin);
