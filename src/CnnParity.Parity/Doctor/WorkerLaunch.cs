namespace CnnParity.Parity.Doctor;

/// <summary>
/// How to start this program again as a worker: the executable (the apphost, or dotnet) and the arguments that come
/// before the verb (cnnparity.dll, for dotnet). The command line knows; the doctor only runs it.
/// </summary>
public sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Prefix);
