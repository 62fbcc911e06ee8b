using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvidenceChain.Capture.Browser.Internal;

/// <summary>
/// A Chrome DevTools Protocol connection over the browser's WebSocket: numbered commands answered by id, and events
/// handed to one handler. Flat sessions (a <c>sessionId</c> on each message) address pages. A message from the
/// browser larger than the limit ends the connection: every command waiting, and every later one, fails with a
/// <see cref="RenderException"/> that says so.
/// </summary>
internal sealed class CdpConnection(int maxMessageBytes) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receive;
    private int _nextId;
    private volatile RenderException? _ended;

    /// <summary>True once the connection has ended (the browser closed it, or sent a message over the limit).</summary>
    public bool HasEnded => _ended is not null;

    /// <summary>Called for every event, on the receive loop: (method, params, sessionId).</summary>
    public Action<string, JsonObject, string?>? Event { get; set; }

    public async Task ConnectAsync(Uri url, CancellationToken ct)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(url, ct);
        _receive = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    /// <summary>Sends a command and returns its result, or throws <see cref="RenderException"/> with the browser's error.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters, string? sessionId, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (_ended is { } ended)
        {
            _pending.TryRemove(id, out _);
            throw ended;
        }

        await _send.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException && _ended is not null)
        {
            _pending.TryRemove(id, out _);
            throw _ended!;
        }
        finally
        {
            _send.Release();
        }

        using (ct.Register(() => reply.TrySetCanceled(ct)))
        {
            var answer = await reply.Task;
            if (answer["error"] is JsonObject error)
            {
                throw new RenderException($"the browser refused {method}: {error["message"]?.GetValue<string>()}");
            }

            return answer["result"] as JsonObject ?? [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // the browser is being stopped anyway
            }
        }

        _socket.Abort();
        if (_receive is not null)
        {
            await _receive;
        }

        _socket.Dispose();
        _send.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        var reason = new RenderException("the browser closed the DevTools connection");
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (message.Length + received.Count > maxMessageBytes)
                {
                    reason = new RenderException(string.Create(CultureInfo.InvariantCulture,
                        $"the browser sent a DevTools message larger than {maxMessageBytes} bytes (Capture:MaxDevToolsMessageBytes)"));
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject;
                message.SetLength(0);
                if (node is null)
                {
                    continue;
                }

                if (node["id"] is JsonValue idValue && _pending.TryRemove(idValue.GetValue<int>(), out var reply))
                {
                    reply.TrySetResult(node);
                }
                else if (node["method"] is JsonValue method)
                {
                    Event?.Invoke(method.GetValue<string>(), node["params"] as JsonObject ?? [], node["sessionId"]?.GetValue<string>());
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException or ObjectDisposedException)
        {
            // the connection ended; pending commands fail below
        }

        message.Dispose();
        _ended = reason;
        _socket.Abort();
        foreach (var (_, reply) in _pending)
        {
            reply.TrySetException(reason);
        }
    }
}
