namespace CnnParity.Reports.Pipeline;

/// <summary>How the pipeline shows progress (the CLI draws bars on stderr).</summary>
public interface IPhaseProgress
{
    /// <summary>Runs <paramref name="work"/>, which calls its step action once per unit of <paramref name="total"/>.</summary>
    T Phase<T>(string title, int total, Func<Action<string?>, T> work);
}
