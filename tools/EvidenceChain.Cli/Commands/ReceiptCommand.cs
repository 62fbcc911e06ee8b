using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>receipt INDEX -o FILE.evidence.zip [--with-artefacts] [--no-wait] [--force]</c>: save an entry's receipt.</summary>
internal static class ReceiptCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var output = args.Optional("output") ?? throw new UsageException("receipt needs -o FILE.evidence.zip (or --output FILE)");
        var withArtefacts = args.Flag("with-artefacts");
        var noWait = args.Flag("no-wait");
        var replace = args.Flag("force");
        var index = Arguments.ParseUInt64("INDEX", args.Positional.FirstOrDefault() ?? throw new UsageException("receipt needs an INDEX"));
        var target = LocalFiles.Target(output, replace);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var receipt = await node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = !noWait }, node.Options);
            var entry = withArtefacts ? await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, node.Options) : null;
            await ReceiptFiles.WriteAsync(node, receipt, target, replace, entry);
            await ReportAsync(console, settings.Json, output, receipt, entry?.Artefacts.Count ?? 0);
            return ExitCode.Verified;
        });
    }

    /// <summary>Says what was written and how to check it.</summary>
    public static async Task ReportAsync(CliConsole console, bool json, string output, Receipt receipt, int artefacts)
    {
        if (json)
        {
            await JsonOutput.WriteAsync(console, new JsonObject
            {
                ["file"] = output,
                ["index"] = receipt.Index,
                ["leafHash"] = receipt.LeafHash,
                ["treeSize"] = receipt.TreeSize,
                ["timestampTime"] = receipt.TimestampTime,
                ["artefacts"] = artefacts,
            });
            return;
        }

        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"wrote {Text.Printable(output)}: entry {receipt.Index}, proof at the checkpoint of size {receipt.TreeSize}, timestamped {receipt.TimestampTime}{(artefacts > 0 ? $", {artefacts} artefact(s)" : string.Empty)}"));
        await console.Out.WriteLineAsync($"check it offline: evidencectl verify {Text.Printable(output)} --log-key VKEY --tsa-ca TSA-CA.pem");
    }
}
