using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvidenceChain.Cli.Client;

/// <summary>Writes the one JSON document a <c>--json</c> command prints on stdout.</summary>
internal static class JsonOutput
{
    // Relaxed escaping keeps "+" in verifier keys and non-ASCII names readable; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(CliConsole console, JsonNode document) =>
        await console.Out.WriteLineAsync(document.ToJsonString(Options));
}
