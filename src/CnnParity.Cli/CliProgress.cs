using CnnParity.Reports.Pipeline;

namespace CnnParity.Cli;

/// <summary>The pipeline's progress, drawn by <see cref="ProgressView"/> on stderr.</summary>
public sealed class CliProgress : IPhaseProgress
{
    public T Phase<T>(string title, int total, Func<Action<string?>, T> work) => ProgressView.Phase(title, total, work);
}
