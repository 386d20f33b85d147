using System.Globalization;
using System.Text.RegularExpressions;
using CnnParity.Core;
using CnnParity.Core.Architecture;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// One sample input of the doctor's sweep, as PyTorch's OpInfo sample inputs are data: an op, a dtype, what is checked,
/// the input's shape (batch first) and the layer that gives the op its sizes. Its <see cref="Id"/> is what reports and
/// the worker process read and write, and parses back to the same case:
/// <c>conv2d f32 weight-grad 2x512x8x8 conv(c=1024,k=1,s=2)</c>, <c>tanh f64 input-grad 128x6x28x28</c>,
/// <c>linear f32 forward 128x84 dense(10)</c>, <c>cross_entropy f32 forward 128x10</c>.
/// </summary>
/// <param name="Layer">the layer for conv2d (conv), pooling (maxpool, avgpool) and linear (dense); null for the elementwise ops and the losses</param>
/// <param name="Group">the group the sweep runs the case in (one child process per group); not part of the id</param>
public sealed partial record DoctorCase(TorchOp Op, Dtype Dtype, DoctorCheck Check, int Batch, ActivationShape Input, LayerSpec? Layer, string Group = "")
{
    /// <summary>"conv2d f32 weight-grad 2x512x8x8 conv(c=1024,k=1,s=2)": op, dtype, check, (batch x) input shape, layer.</summary>
    public string Id => $"{Op.Name()} {Dtype.ShortName()} {Check.Name()} {Batch}x{Input}{(Layer is null ? "" : " " + Layer.Text)}";

    /// <summary>The output of one image (the loss: one value per batch).</summary>
    public ActivationShape Output => Layer?.OutputShape(Input) ?? Input;

    /// <summary>The case an <see cref="Id"/> names; a <see cref="FormatException"/> says what is wrong with one that names none.</summary>
    public static DoctorCase Parse(string id)
    {
        var match = IdPattern().Match(id);
        if (!match.Success)
            throw new FormatException($"not a doctor case: '{id}' (expected 'op dtype check BxCxHxW [layer]')");
        var op = TorchOpNames.Parse(match.Groups["op"].Value) ?? throw new FormatException($"unknown op '{match.Groups["op"].Value}' in '{id}'");
        var dtype = match.Groups["dtype"].Value == "f32" ? Dtype.Float32 : Dtype.Float64;
        var check = DoctorCheckNames.Parse(match.Groups["check"].Value) ?? throw new FormatException($"unknown check in '{id}'");
        int[] dims = [.. match.Groups["shape"].Value.Split('x').Select(d => int.Parse(d, CultureInfo.InvariantCulture))];
        var input = dims.Length == 4 ? ActivationShape.Image(dims[1], dims[2], dims[3]) : ActivationShape.Vector(dims[1]);
        LayerSpec? layer = match.Groups["layer"].Success ? ParseLayer(match.Groups["layer"].Value, id) : null;
        var parsed = new DoctorCase(op, dtype, check, dims[0], input, layer);
        parsed.Validate();
        return parsed;
    }

    /// <summary>Throws a <see cref="FormatException"/> unless the op, its layer and the shape go together.</summary>
    public void Validate()
    {
        bool needsLayer = Op is TorchOp.Conv2d or TorchOp.MaxPool2d or TorchOp.AvgPool2d or TorchOp.Linear;
        bool layerFits = Op switch
        {
            TorchOp.Conv2d => Layer is Conv2dSpec,
            TorchOp.MaxPool2d => Layer is Pool2dSpec { Kind: PoolKind.Max },
            TorchOp.AvgPool2d => Layer is Pool2dSpec { Kind: PoolKind.Average },
            TorchOp.Linear => Layer is DenseSpec,
            _ => Layer is null,
        };
        if (!layerFits)
            throw new FormatException($"{Op.Name()} {(needsLayer ? "needs its layer" : "takes no layer")}: '{Id}'");
        if (Batch < 1)
            throw new FormatException($"a batch of {Batch}: '{Id}'");
        if (Op is TorchOp.LogSoftmax or TorchOp.CrossEntropy && !Input.IsVector)
            throw new FormatException($"{Op.Name()} takes rows of logits (B x classes): '{Id}'");
        if (Check == DoctorCheck.WeightGradient && !Op.HasWeights())
            throw new FormatException($"{Op.Name()} has no weights: '{Id}'");
        try
        {
            _ = Output;
        }
        catch (LayerProblem problem)
        {
            throw new FormatException($"{problem.Message}: '{Id}'");
        }
    }

    // conv(c=O,k=K[,s=S][,p=P][,bias=false]), maxpool(k=K[,s=S]), avgpool(k=K[,s=S]), dense(N[,bias=false]): the spec
    // grammar's words, without its limits (the doctor goes to 2048 channels).
    static LayerSpec ParseLayer(string text, string id)
    {
        var match = LayerPattern().Match(text);
        if (!match.Success)
            throw new FormatException($"not a layer: '{text}' in '{id}'");
        var arguments = match.Groups["args"].Value.Split(',');
        int? Named(string key) => arguments.Where(a => a.StartsWith(key + "=", StringComparison.Ordinal))
            .Select(a => (int?)int.Parse(a[(key.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        bool bias = !arguments.Contains("bias=false");
        return match.Groups["keyword"].Value switch
        {
            "conv" => new Conv2dSpec(Named("c") ?? throw new FormatException($"conv needs c= in '{id}'"),
                Named("k") ?? throw new FormatException($"conv needs k= in '{id}'"), Named("s") ?? 1, Named("p") ?? 0, bias, Named("g") ?? 1),
            "maxpool" or "avgpool" => new Pool2dSpec(match.Groups["keyword"].Value == "maxpool" ? PoolKind.Max : PoolKind.Average,
                Named("k") ?? throw new FormatException($"a pool needs k= in '{id}'"), Named("s") ?? Named("k")!.Value),
            _ => new DenseSpec(int.Parse(arguments[0], CultureInfo.InvariantCulture), bias),
        };
    }

    [GeneratedRegex(@"^(?<op>[a-z_0-9]+) (?<dtype>f32|f64) (?<check>[a-z-]+) (?<shape>\d+x\d+(x\d+x\d+)?)( (?<layer>\S+))?$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?<keyword>conv|maxpool|avgpool|dense)\((?<args>[a-z0-9=,]+)\)$")]
    private static partial Regex LayerPattern();
}
