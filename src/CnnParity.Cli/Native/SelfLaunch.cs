using System.Reflection;
using CnnParity.Parity.Doctor;

namespace CnnParity.Cli.Native;

/// <summary>
/// How this very program starts again as a child process (the doctor's workers, a supervised run): the apphost
/// (an installed tool's cnnparity) as it is, or `dotnet cnnparity.dll` when the host is dotnet.
/// </summary>
internal static class SelfLaunch
{
    public static WorkerLaunch Current()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        string program = Assembly.GetEntryAssembly()?.Location ?? typeof(SelfLaunch).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? new(host, [program]) : new(host, []);
    }
}
