using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>capture URL [--no-browser]</c>: asks the node to capture a web page and reports the entry it became.</summary>
internal static class CaptureCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        if (args.Flag("help"))
        {
            await console.Out.WriteLineAsync("""
                evidencectl capture URL [--no-browser]
                The node fetches URL itself (guarded against internal addresses), records the exchange with TLS, DNS and
                environment records in one WARC file, renders the page in its browser when it has one (unless
                --no-browser), and preserves it all as a webpage entry (needs a submitter key). Prints the entry index,
                leaf hash, final URL, HTTP status and the artefacts with their digests.
                A capture that failed once under way (timeout, too large, a refused redirect, ...) is recorded as a
                failed webpage entry with the reason; it is printed and the exit code is 1. A URL refused up front
                (PERMISSION_DENIED) records nothing.
                """);
            return ExitCode.Verified;
        }

        var settings = NodeSettings.Read(args, console);
        var noBrowser = args.Flag("no-browser");
        args.EnsureAllUsed(1);
        var url = args.Positional.FirstOrDefault() ?? throw new UsageException("capture needs a URL");
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var response = await node.Capture.CaptureUrlAsync(new CaptureUrlRequest { Url = url, NoBrowser = noBrowser }, node.Options);
            var failed = response.Status != "complete";
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject
                {
                    ["url"] = url,
                    ["status"] = response.Status,
                    ["failureReason"] = failed ? response.FailureReason : null,
                    ["failure"] = failed ? response.Failure : null,
                    ["finalUrl"] = response.FinalUrl,
                    ["httpStatus"] = response.HttpStatus,
                    ["rendering"] = response.Rendering,
                    ["entry"] = EntryFormat.ToJson(response.Entry),
                    ["treeSize"] = response.TreeSize,
                    ["signedCheckpoint"] = response.SignedCheckpoint,
                });
            }
            else
            {
                var entry = response.Entry;
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Text.Printable(url)}: entry {entry.Index}, leaf hash {entry.LeafHash}"));
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  final URL {Text.Printable(response.FinalUrl)}, HTTP {response.HttpStatus}, {response.Status}; rendering {Text.Printable(response.Rendering)}"));
                if (failed)
                {
                    await console.Out.WriteLineAsync($"  failed ({response.FailureReason}): {Text.Printable(response.Failure)}");
                }

                foreach (var artefact in entry.Artefacts)
                {
                    await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {Text.Printable(artefact.Name)} ({Text.Printable(artefact.MediaType)}, {artefact.Size} bytes) sha256 {artefact.Sha256}"));
                }
            }

            return failed ? ExitCode.Failed : ExitCode.Verified;
        });
    }
}
