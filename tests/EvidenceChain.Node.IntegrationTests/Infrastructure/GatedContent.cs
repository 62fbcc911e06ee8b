using System.Net;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>
/// A request body that holds an upload open: it is sent only once the node starts reading it (the request says
/// <c>Expect: 100-continue</c>, so the client waits for the node's 100 Continue), writes <c>first</c>, and writes
/// the rest once <see cref="Release"/> is called. <see cref="Started"/> is the signal that the node is inside the
/// upload: it has authenticated the call and taken an upload slot.
/// </summary>
public sealed class GatedContent(byte[] first, byte[] rest) : HttpContent
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    public void Release() => _gate.TrySetResult();

    /// <summary>An HTTP/1.1 client that waits for 100 Continue long enough for <see cref="Started"/> to mean it.</summary>
    public static HttpClient Client(Uri baseAddress) =>
        new(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = baseAddress };

    /// <summary>A raw upload request carrying this content.</summary>
    public HttpRequestMessage Request(string fileName, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/files?file_name={Uri.EscapeDataString(fileName)}&media_type=text%2Fplain") { Content = this };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new("Bearer", key);
        return request;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        _started.TrySetResult();
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        await _gate.Task;
        await stream.WriteAsync(rest);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
