using System.Globalization;

namespace CnnParity.Core.Architecture;

/// <summary>
/// <c>batchnorm[(eps=E,momentum=M)]</c>: torch.nn.BatchNorm2d(C, eps, momentum) after a convolution's image,
/// torch.nn.BatchNorm1d(F, eps, momentum) after flatten or a dense layer
/// (https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html). In training it normalises each channel with the
/// batch's mean and biased variance (over the batch, and over H x W for an image) and updates the running statistics with
/// the unbiased variance, <c>running = (1 - momentum)·running + momentum·batch</c>; in evaluation it normalises with the
/// running statistics. Parameters <c>weight</c> (γ, initially 1) and <c>bias</c> (β, initially 0); buffers
/// <c>running_mean</c> (0), <c>running_var</c> (1) and <c>num_batches_tracked</c> (0), under PyTorch's state_dict names.
/// </summary>
public sealed record BatchNormSpec(double Eps = BatchNormSpec.DefaultEps, double Momentum = BatchNormSpec.DefaultMomentum) : LayerSpec
{
    /// <summary>PyTorch's defaults.</summary>
    public const double DefaultEps = 1e-5, DefaultMomentum = 0.1;

    public override string Keyword => "batchnorm";

    public override string Text
    {
        get
        {
            var args = new List<string>();
            if (Eps != DefaultEps) args.Add($"eps={Eps.ToString("R", CultureInfo.InvariantCulture)}");
            if (Momentum != DefaultMomentum) args.Add($"momentum={Momentum.ToString("R", CultureInfo.InvariantCulture)}");
            return args.Count == 0 ? Keyword : $"{Keyword}({string.Join(",", args)})";
        }
    }

    public override ActivationShape OutputShape(ActivationShape input) => input;

    /// <summary>γ and β, one per channel (or feature).</summary>
    public override long Parameters(ActivationShape input) => 2L * input.Channels;
}
