namespace CnnParity.Parity.Doctor;

/// <summary>
/// The LibTorch operations CnnParity's TorchSharp side uses, named as torch.nn.functional names them
/// (https://pytorch.org/docs/stable/nn.functional.html).
/// </summary>
public enum TorchOp
{
    /// <summary>torch.nn.functional.conv2d (nn.Conv2d).</summary>
    Conv2d,

    /// <summary>torch.nn.functional.max_pool2d (nn.MaxPool2d).</summary>
    MaxPool2d,

    /// <summary>torch.nn.functional.avg_pool2d (nn.AvgPool2d).</summary>
    AvgPool2d,

    /// <summary>torch.nn.functional.linear (nn.Linear).</summary>
    Linear,

    /// <summary>torch.tanh (nn.Tanh).</summary>
    Tanh,

    /// <summary>torch.nn.functional.relu (nn.ReLU).</summary>
    Relu,

    /// <summary>torch.sigmoid (nn.Sigmoid).</summary>
    Sigmoid,

    /// <summary>torch.nn.functional.relu6 (nn.ReLU6, hardtanh(0, 6)).</summary>
    Relu6,

    /// <summary>torch.nn.functional.log_softmax over the classes.</summary>
    LogSoftmax,

    /// <summary>torch.nn.functional.cross_entropy, mean over the batch: the loss every CnnParity model trains on.</summary>
    CrossEntropy,
}

/// <summary>The one mapping between <see cref="TorchOp"/> and its torch.nn.functional name.</summary>
public static class TorchOpNames
{
    static readonly (TorchOp Op, string Name)[] Names =
    [
        (TorchOp.Conv2d, "conv2d"), (TorchOp.MaxPool2d, "max_pool2d"), (TorchOp.AvgPool2d, "avg_pool2d"), (TorchOp.Linear, "linear"),
        (TorchOp.Tanh, "tanh"), (TorchOp.Relu, "relu"), (TorchOp.Sigmoid, "sigmoid"), (TorchOp.LogSoftmax, "log_softmax"),
        (TorchOp.CrossEntropy, "cross_entropy"), (TorchOp.Relu6, "relu6"),
    ];

    /// <summary>"conv2d", "max_pool2d", ...</summary>
    public static string Name(this TorchOp op) => Names.First(n => n.Op == op).Name;

    /// <summary>The op called <paramref name="name"/>, or null.</summary>
    public static TorchOp? Parse(string name) => Names.FirstOrDefault(n => n.Name == name) is { Name: not null } found ? found.Op : null;

    /// <summary>Whether the op has weights (and so a weight gradient to check).</summary>
    public static bool HasWeights(this TorchOp op) => op is TorchOp.Conv2d or TorchOp.Linear;
}
