namespace CnnParity.Parity.Doctor;

/// <summary>What a case computes and holds against the truth: the output, or one of the backward pass's gradients.</summary>
public enum DoctorCheck
{
    /// <summary>The op's output (for cross_entropy, the loss).</summary>
    Forward,

    /// <summary>The gradient with respect to the input, from a given gradient of the output.</summary>
    InputGradient,

    /// <summary>The gradients of the weight and the bias, from a given gradient of the output.</summary>
    WeightGradient,
}

/// <summary>The one mapping between <see cref="DoctorCheck"/> and its name in case ids and reports.</summary>
public static class DoctorCheckNames
{
    /// <summary>"forward", "input-grad" or "weight-grad".</summary>
    public static string Name(this DoctorCheck check) => check switch
    {
        DoctorCheck.Forward => "forward",
        DoctorCheck.InputGradient => "input-grad",
        _ => "weight-grad",
    };

    /// <summary>The check called <paramref name="name"/>, or null.</summary>
    public static DoctorCheck? Parse(string name) => name switch
    {
        "forward" => DoctorCheck.Forward,
        "input-grad" => DoctorCheck.InputGradient,
        "weight-grad" => DoctorCheck.WeightGradient,
        _ => null,
    };
}
