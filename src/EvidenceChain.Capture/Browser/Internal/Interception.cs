using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace EvidenceChain.Capture.Browser.Internal;

/// <summary>
/// DevTools request interception for one page: <c>Fetch.enable</c> pauses every request of the page before it is sent,
/// and <c>Target.setAutoAttach</c> (flat, waiting for the debugger) brings in the page's out-of-process frames and
/// workers, whose requests are paused the same way before they run. Each paused request is handed to the capture's
/// fetch, and the browser gets its answer: <c>Fetch.fulfillRequest</c> with the recorded status, fields and body (a
/// redirect too: the browser follows it and asks again), or <c>Fetch.failRequest</c>. The browser itself sends nothing.
/// </summary>
/// <remarks>
/// Events come in on the DevTools receive loop (<see cref="Handles"/>) and are answered on tasks of their own;
/// <see cref="DisposeAsync"/> stops answering, cancels the fetches still running and waits for them. Since every request
/// of the page passes here, interception also tells when the page's network is idle (<see cref="WaitForIdleAsync"/>).
/// </remarks>
internal sealed class Interception(
    CdpConnection cdp, string page, Func<InterceptedRequest, CancellationToken, Task<InterceptedAnswer>> fetch, CancellationToken ct)
    : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
    private readonly Dictionary<string, string> _sessions = new(StringComparer.Ordinal) { [page] = "page" };
    private readonly List<Task> _running = [];
    private readonly Lock _gate = new();
    private bool _stopped;
    private int _waiting;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private TaskCompletionSource _activity = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Targets attached besides the page (frames and workers), by type, e.g. <c>iframe</c>, <c>worker</c>.</summary>
    public IReadOnlyList<string> Attached
    {
        get
        {
            lock (_gate)
            {
                return [.. _sessions.Where(s => s.Key != page).Select(s => s.Value)];
            }
        }
    }

    /// <summary>Starts interception on the page; before it navigates.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => EnableAsync(page, cancellationToken);

    /// <summary>
    /// Takes the events that belong to interception (a paused request, a frame or worker attached) of the page's
    /// sessions; returns false for every other event, which the caller handles.
    /// </summary>
    public bool Handles(string method, JsonObject parameters, string sessionId)
    {
        lock (_gate)
        {
            if (!_sessions.ContainsKey(sessionId))
            {
                return false;
            }

            if (method == "Fetch.requestPaused")
            {
                _waiting++;
                OnActivity();
                _running.Add(AnswerAsync(sessionId, parameters));
                return true;
            }

            if (method == "Target.attachedToTarget" && parameters["sessionId"]?.GetValue<string>() is { } child)
            {
                _sessions[child] = (parameters["targetInfo"] as JsonObject)?["type"]?.GetValue<string>() ?? "unknown";
                _running.Add(AttachAsync(child));
                return true;
            }

            return false;
        }
    }

    /// <summary>
    /// Waits until the page's network is idle: no intercepted request waiting for its answer, and none paused or answered
    /// within the last <paramref name="window"/> (Chromium's own <c>networkIdle</c> means no connection for 500 ms).
    /// Returns false when <paramref name="limit"/> passes first.
    /// </summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan window, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            Task activity;
            TimeSpan wait;
            lock (_gate)
            {
                var quiet = Stopwatch.GetElapsedTime(_lastActivity);
                if (_waiting == 0 && quiet >= window)
                {
                    return true;
                }

                activity = _activity.Task;
                wait = _waiting == 0 ? window - quiet : limit;
            }

            var left = limit - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.WhenAny(activity, Task.Delay(wait < left ? wait : left, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            _stopped = true;
            running = [.. _running];
        }

        await _stop.CancelAsync();
        await Task.WhenAll(running);
        _stop.Dispose();
    }

    private async Task EnableAsync(string session, CancellationToken cancellationToken)
    {
        await cdp.SendAsync("Fetch.enable", new JsonObject
        {
            ["patterns"] = new JsonArray(new JsonObject { ["urlPattern"] = "*", ["requestStage"] = "Request" }),
        }, session, cancellationToken);
        await cdp.SendAsync("Target.setAutoAttach", new JsonObject
        {
            ["autoAttach"] = true, ["waitForDebuggerOnStart"] = true, ["flatten"] = true,
        }, session, cancellationToken);
    }

    // A frame or worker of the page: its requests are intercepted too, then it runs.
    private async Task AttachAsync(string session)
    {
        await Task.Yield();
        try
        {
            try
            {
                await EnableAsync(session, _stop.Token);
            }
            catch (RenderException)
            {
                // a target that cannot intercept (or attach further) itself: its requests reach the guarded proxy, and are counted
            }

            await cdp.SendAsync("Runtime.runIfWaitingForDebugger", null, session, _stop.Token);
        }
        catch (Exception e) when (e is RenderException or OperationCanceledException)
        {
            // the target or the page went away
        }
    }

    // Called under _gate: a request was paused or answered; the idle wait starts its window again.
    private void OnActivity()
    {
        _lastActivity = Stopwatch.GetTimestamp();
        _activity.TrySetResult();
        _activity = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task AnswerAsync(string session, JsonObject parameters)
    {
        try
        {
            await AnswerCoreAsync(session, parameters);
        }
        finally
        {
            lock (_gate)
            {
                _waiting--;
                OnActivity();
            }
        }
    }

    private async Task AnswerCoreAsync(string session, JsonObject parameters)
    {
        await Task.Yield();
        var id = parameters["requestId"]?.GetValue<string>();
        if (id is null || parameters["request"] is not JsonObject request)
        {
            return;
        }

        InterceptedAnswer answer;
        bool stopped;
        lock (_gate)
        {
            stopped = _stopped;
        }

        try
        {
            answer = stopped ? InterceptedAnswer.Error("Aborted") : await fetch(Read(parameters, request), _stop.Token);
        }
        catch (OperationCanceledException)
        {
            answer = InterceptedAnswer.Error("Aborted");
        }

        using var timeout = new CancellationTokenSource(AnswerTimeout);
        try
        {
            if (answer.ErrorReason is { } reason)
            {
                await cdp.SendAsync("Fetch.failRequest", new JsonObject { ["requestId"] = id, ["errorReason"] = reason }, session, timeout.Token);
                return;
            }

            var fields = new JsonArray();
            foreach (var (name, value) in answer.Fields)
            {
                fields.Add(new JsonObject { ["name"] = name, ["value"] = value });
            }

            var fulfil = new JsonObject
            {
                ["requestId"] = id, ["responseCode"] = answer.Status, ["responseHeaders"] = fields, ["body"] = Convert.ToBase64String(answer.Body),
            };
            if (answer.Phrase.Length > 0)
            {
                fulfil["responsePhrase"] = answer.Phrase;
            }

            await cdp.SendAsync("Fetch.fulfillRequest", fulfil, session, timeout.Token);
        }
        catch (Exception e) when (e is RenderException or OperationCanceledException)
        {
            // the request was cancelled by the page (navigated away, frame gone), or the page is closing
        }
    }

    private static InterceptedRequest Read(JsonObject parameters, JsonObject request)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (request["headers"] is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                fields.Add(KeyValuePair.Create(name, value?.GetValue<string>() ?? string.Empty));
            }
        }

        byte[] body = [];
        if (request["postDataEntries"] is JsonArray entries)
        {
            body = [.. entries.OfType<JsonObject>().SelectMany(e => e["bytes"]?.GetValue<string>() is { } b ? Convert.FromBase64String(b) : [])];
        }
        else if (request["postData"]?.GetValue<string>() is { } text)
        {
            body = Encoding.UTF8.GetBytes(text);
        }

        return new InterceptedRequest(
            request["url"]?.GetValue<string>() ?? string.Empty, request["method"]?.GetValue<string>() ?? "GET", fields, body,
            parameters["resourceType"]?.GetValue<string>() ?? "Other");
    }
}
