namespace CnnParity.Onnx.Scoring;

/// <summary>A deployed model's two outputs for a set of images, row-major, 10 per image, float32 as the runtime gave them.</summary>
public sealed record OnnxOutputs(int Count, float[] Logits, float[] Probabilities);
