namespace CnnParity.Core;

/// <summary>
/// An error the user can act on: bad input data, a bad option, a failed download.
/// The CLI prints <see cref="Exception.Message"/> as one line and exits with <see cref="ExitCode"/>;
/// anything that is not a <see cref="CnnParityException"/> is a bug.
/// </summary>
public class CnnParityException : Exception
{
    /// <summary>2 = usage or data error (the default), 1 = a check failed or training diverged.</summary>
    public int ExitCode { get; }

    public CnnParityException(string message, int exitCode = 2, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;
}
