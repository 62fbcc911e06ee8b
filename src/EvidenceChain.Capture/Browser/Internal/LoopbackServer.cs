using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EvidenceChain.Capture.Browser.Internal;

/// <summary>
/// A TCP listener on 127.0.0.1, on a port the system picks, that hands every connection it accepts to a handler.
/// Disposing it stops accepting, cancels the token the handlers were given and waits for all of them to end.
/// </summary>
/// <remarks>Start and dispose from one thread; the handlers run concurrently.</remarks>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Func<Socket, CancellationToken, Task> _handle;
    private Task? _accept;

    /// <summary>Creates the server; <paramref name="handle"/> owns the socket it is given and must not throw.</summary>
    public LoopbackServer(Func<Socket, CancellationToken, Task> handle) => _handle = handle;

    /// <summary>The port listened on; valid after <see cref="Start"/>.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts listening and accepting.</summary>
    public void Start()
    {
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accept is not null)
        {
            await _accept;
        }

        await Task.WhenAll(_connections.Keys);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var task = _handle(client, _stop.Token);
            _connections[task] = true;
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
