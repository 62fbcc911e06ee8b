using System.Globalization;
using System.Net;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger.Witnessing;

namespace EvidenceChain.Node.Witnessing;

/// <summary>
/// A witness over HTTP (C2SP tlog-witness): <c>POST {prefix}/add-checkpoint</c> with <c>old N</c>, the consistency
/// proof lines, a blank line and the checkpoint. A 200 answer's signature lines are checked: the one by the witness's
/// key must be a valid cosignature (C2SP tlog-cosignature) over this checkpoint; lines by other keys are ignored.
/// </summary>
/// <remarks>Thread-safe. The URL's user information, if any, is never shown.</remarks>
internal sealed class HttpWitnessClient : IWitnessClient
{
    private const int MaxAnswerBytes = 64 * 1024;
    private readonly HttpClient _http;
    private readonly WitnessKey _key;
    private readonly NoteVerifier _logKey;
    private readonly Uri _endpoint;
    private readonly string _shown;

    /// <summary>Creates the client; the caller owns <paramref name="http"/>.</summary>
    public HttpWitnessClient(HttpClient http, WitnessKey key, Uri prefix, NoteVerifier logKey)
    {
        _http = http;
        _key = key;
        _logKey = logKey;
        var path = prefix.AbsolutePath.TrimEnd('/');
        _endpoint = new UriBuilder(prefix) { Path = path + "/add-checkpoint" }.Uri;
        _shown = new UriBuilder(_endpoint) { UserName = string.Empty, Password = string.Empty }.Uri.GetLeftPart(UriPartial.Path);
    }

    /// <inheritdoc/>
    public string Name => _key.Name;

    /// <inheritdoc/>
    public async Task<WitnessAnswer> AddCheckpointAsync(ulong oldSize, IReadOnlyList<Hash> proof, string signedCheckpoint, CancellationToken cancellationToken)
    {
        var body = new StringBuilder().Append(CultureInfo.InvariantCulture, $"old {oldSize}\n");
        foreach (var hash in proof)
        {
            body.Append(Convert.ToBase64String(hash.ToArray())).Append('\n');
        }

        body.Append('\n').Append(signedCheckpoint);
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "text/plain");
        try
        {
            using var reply = await _http.PostAsync(_endpoint, content, cancellationToken);
            var text = await ReadBoundedAsync(reply.Content, cancellationToken);
            return reply.StatusCode switch
            {
                HttpStatusCode.OK => WitnessAnswer.Cosigned(Cosignature(text, signedCheckpoint)),
                HttpStatusCode.Conflict => WitnessAnswer.Conflict(ParseSize(text)),
                HttpStatusCode.UnprocessableEntity => WitnessAnswer.BadProof,
                HttpStatusCode.NotFound => throw new WitnessException($"{_shown} answered 404: it does not witness this log (add its origin and verifier key to the witness)"),
                HttpStatusCode.Forbidden => throw new WitnessException($"{_shown} answered 403: no signature on the checkpoint verifies under the log key it holds"),
                _ => throw new WitnessException($"{_shown} answered HTTP {(int)reply.StatusCode} {reply.ReasonPhrase}: {FirstLine(text)}"),
            };
        }
        catch (HttpRequestException e)
        {
            throw new WitnessException($"{_shown}: {e.Message}", e);
        }
    }

    /// <summary>The witness's cosignature line among the answer's signature lines, checked over the checkpoint.</summary>
    private string Cosignature(string answer, string signedCheckpoint)
    {
        // The answer is signature lines: appended to the checkpoint they open as one note, whose log signature
        // verifies and whose other lines come back unverified, to be checked under the witness key.
        var opened = SignedNote.Open(signedCheckpoint + answer, [_logKey]);
        if (!opened.IsValid)
        {
            throw new WitnessException($"{_shown} answered 200 with a body that is not signature lines: {opened.Message}");
        }

        var body = SignedNote.TextOf(signedCheckpoint)!;
        foreach (var line in opened.UnknownSignatures.Where(s => s.Name == _key.Name && s.KeyId == _key.KeyId))
        {
            if (Core.Notes.Cosignature.TryVerify(_key, body, line, out _))
            {
                return $"\u2014 {line.Name} {line.Base64}\n";
            }

            throw new WitnessException($"{_shown} answered with a cosignature by {_key} that does not verify over this checkpoint");
        }

        throw new WitnessException($"{_shown} answered 200 without a cosignature by its key {_key}");
    }

    private ulong ParseSize(string text)
    {
        var line = text.EndsWith('\n') ? text[..^1] : text;
        return ulong.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && (line == "0" || line[0] != '0')
            ? size
            : throw new WitnessException($"{_shown} answered 409 without a tree size: \"{FirstLine(text)}\"");
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0];
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new WitnessException($"{_shown} answered more than {MaxAnswerBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
