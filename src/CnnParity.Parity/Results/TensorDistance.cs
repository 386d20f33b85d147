namespace CnnParity.Parity.Results;

/// <summary>How far two tensors of the same shape are apart, over all elements.</summary>
/// <param name="MaxAbs">max |a-b|</param>
/// <param name="MaxRel">max |a-b| / max(|b|, tiny): relative to the expected side</param>
/// <param name="MaxUlp">max distance in units in the last place (of the compared dtype)</param>
/// <param name="Count">elements compared</param>
/// <param name="BitwiseEqual">elements whose bits are identical</param>
public sealed record TensorDistance(double MaxAbs, double MaxRel, long MaxUlp, long Count, long BitwiseEqual);
