using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>capture URL [--no-browser] [--private-url]</c> (or <c>--from FILE [--case ID]</c>, see <see cref="CaptureListCommand"/>): asks the node to capture a web page and reports the entry it became.</summary>
internal static class CaptureCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var noBrowser = args.Flag("no-browser");
        var privateUrl = args.Flag("private-url");
        var from = args.Optional("from");
        var caseId = args.Optional("case");
        if (from is not null)
        {
            if (args.Positional.Count > 0)
            {
                throw new UsageException("give either a URL or --from FILE, not both");
            }

            return await CaptureListCommand.RunAsync(settings, console, from, caseId ?? string.Empty, noBrowser);
        }

        if (caseId is not null)
        {
            throw new UsageException("--case goes with --from FILE");
        }

        var url = args.Positional.FirstOrDefault() ?? throw new UsageException("capture needs a URL, or --from FILE");
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var response = await node.Capture.CaptureUrlAsync(new CaptureUrlRequest { Url = url, NoBrowser = noBrowser, PrivateUrl = privateUrl }, node.Options);
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
