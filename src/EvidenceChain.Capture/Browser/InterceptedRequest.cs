namespace EvidenceChain.Capture.Browser;

/// <summary>A request the browser was about to send, paused by DevTools interception (<c>Fetch.requestPaused</c>). Immutable.</summary>
/// <param name="Url">The URL, without its fragment.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Fields">The header fields the browser would send, in its order.</param>
/// <param name="Body">The request body (empty when none).</param>
/// <param name="ResourceType">What the browser wants it for: <c>Document</c>, <c>Image</c>, <c>Script</c>, <c>XHR</c>, <c>Fetch</c>, ...</param>
internal sealed record InterceptedRequest(string Url, string Method, IReadOnlyList<KeyValuePair<string, string>> Fields, byte[] Body, string ResourceType);

