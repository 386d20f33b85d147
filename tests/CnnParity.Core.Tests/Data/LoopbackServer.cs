using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CnnParity.Core.Tests.Data;

/// <summary>What the server sends for one path. <paramref name="AnnouncedLength"/> larger than the body
/// means: send the headers and the body, then close, like a connection that dies mid-download.</summary>
internal sealed record CannedResponse(int Status, byte[] Body, long? AnnouncedLength = null)
{
    public static CannedResponse Ok(byte[] body) => new(200, body);
    public static CannedResponse Truncated(byte[] body, int keep) => new(200, body[..keep], body.Length);
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 that the tests start themselves: one request per connection,
/// canned responses by path, 404 for anything else. Every read has a deadline and dispose stops it all.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, CannedResponse> _routes = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;

    public LoopbackServer()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Paths requested so far, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A base URL ending in '/', as the downloader expects of a mirror.</summary>
    public Uri Mirror(string name) => new($"http://127.0.0.1:{Port}/{name}/");

    public void Serve(string path, CannedResponse response) => _routes[path] = response;

    /// <summary>A loopback URL on which nothing listens, for "connection refused".</summary>
    public static Uri DeadMirror()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new($"http://127.0.0.1:{port}/dead/");
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            deadline.CancelAfter(RequestDeadline);
            try
            {
                var stream = client.GetStream();
                string path = await ReadRequestPathAsync(stream, deadline.Token);
                Requests.Enqueue(path);
                var response = _routes.GetValueOrDefault(path) ?? new CannedResponse(404, "not found"u8.ToArray());
                string head = $"HTTP/1.1 {response.Status} {(response.Status == 200 ? "OK" : "Not Found")}\r\n" +
                              $"Content-Length: {response.AnnouncedLength ?? response.Body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), deadline.Token);
                await stream.WriteAsync(response.Body, deadline.Token);
                await stream.FlushAsync(deadline.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // the client went away or the test is over
            }
        }
    }

    private static async Task<string> ReadRequestPathAsync(NetworkStream stream, CancellationToken cancel)
    {
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n") && head.Length < 16 * 1024)
        {
            int got = await stream.ReadAsync(buffer, cancel);
            if (got == 0)
                break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, got));
        }
        string[] requestLine = head.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length >= 2 ? requestLine[1] : "";
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }
}
