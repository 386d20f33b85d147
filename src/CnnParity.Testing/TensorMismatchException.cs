namespace CnnParity.Testing;

/// <summary>
/// Thrown when actual values are not close to the expected ones (or differ in shape, device or dtype). The
/// message is the whole diagnosis — which elements, how far, against which tolerance — so xunit, NUnit and
/// MSTest, which print an exception's message in full, show everything needed without a debugger.
/// </summary>
public sealed class TensorMismatchException : Exception
{
    /// <summary>A mismatch described by <paramref name="message"/>.</summary>
    public TensorMismatchException(string message) : base(message) { }

    /// <summary>A mismatch described by <paramref name="message"/>, with the distance that was measured.</summary>
    public TensorMismatchException(string message, TensorDistance distance) : base(message) => Distance = distance;

    /// <summary>The measured distance; null when the values were never compared (shape, device or dtype differ).</summary>
    public TensorDistance? Distance { get; }
}
