using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// One line of JSON from a worker to its supervisor, written and flushed as it happens, so that a worker that dies
/// leaves behind every result it had and the case it had started:
/// <c>{"kind":"hello","threads":1,"nnpack":true}</c>, then per case <c>{"kind":"start","case":"…"}</c>,
/// <c>{"kind":"truth","case":"…"}</c> once LibTorch is done with it, and <c>{"kind":"result","case":"…","outcome":"right",…}</c>;
/// last <c>{"kind":"warnings","warnings":[…]}</c>.
/// </summary>
public sealed record WorkerMessage
{
    public const string Hello = "hello", Start = "start", Truth = "truth", Result = "result", WarningsKind = "warnings";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required string Kind { get; init; }

    public string? Case { get; init; }

    public string? Outcome { get; init; }

    public WorstElement? Worst { get; init; }

    public long? Elements { get; init; }

    public double? Seconds { get; init; }

    public string? Detail { get; init; }

    public int? Threads { get; init; }

    public bool? Nnpack { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>The message as one line.</summary>
    public string ToLine() => JsonSerializer.Serialize(this, Json);

    /// <summary>The message on <paramref name="line"/>, or null for a line that is not one (a library printing to stdout).</summary>
    public static WorkerMessage? Parse(string line)
    {
        if (!line.StartsWith('{'))
            return null;
        try
        {
            return JsonSerializer.Deserialize<WorkerMessage>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A case's result as a message.</summary>
    public static WorkerMessage From(CaseResult r) => new()
    {
        Kind = Result, Case = r.Case.Id, Outcome = r.Outcome.ToString(), Worst = r.Worst, Elements = r.Elements, Seconds = r.Seconds, Detail = r.Detail,
    };

    /// <summary>The result this message carries, for <paramref name="c"/> (the supervisor's own case, with its group).</summary>
    public CaseResult ToResult(DoctorCase c) =>
        new(c, Enum.TryParse<CaseOutcome>(Outcome, out var outcome) ? outcome : CaseOutcome.Failed, Worst, Elements ?? 0, Seconds ?? 0, null, Detail);
}
