using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>case create|show|list|attach|detach|note|close|export</c>: cases on a node (docs/formats.md, "Cases").</summary>
internal static class CaseCommands
{
    public static async Task<int> RunAsync(string command, Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var reason = command is "detach" or "close" ? args.Optional("reason") ?? string.Empty : string.Empty; // read before the unused-option check
        return command switch
        {
            "create" => await CreateAsync(args, settings, console),
            "show" => await ShowAsync(args, settings, console),
            "list" => await ListAsync(args, settings, console),
            "attach" => await ChangeAsync(args, settings, console, 2, (node, p) =>
                node.Cases.AttachEvidenceAsync(new AttachEvidenceRequest { CaseId = p[0], Index = Index(p[1]) }, node.Options).ResponseAsync),
            "detach" => await ChangeAsync(args, settings, console, 2, (node, p) =>
                node.Cases.DetachEvidenceAsync(new DetachEvidenceRequest { CaseId = p[0], Index = Index(p[1]), Reason = reason }, node.Options).ResponseAsync),
            "note" => await ChangeAsync(args, settings, console, 2, (node, p) =>
                node.Cases.AddNoteAsync(new AddNoteRequest { CaseId = p[0], Text = p[1] }, node.Options).ResponseAsync),
            "close" => await ChangeAsync(args, settings, console, 1, (node, p) =>
                node.Cases.CloseCaseAsync(new CloseCaseRequest { CaseId = p[0], Reason = reason }, node.Options).ResponseAsync),
            "export" => await ExportAsync(args, settings, console),
            _ => throw new UsageException($"unknown command \"case {command}\"; run evidencectl case --help"),
        };
    }

    private static async Task<int> CreateAsync(Arguments args, NodeSettings settings, CliConsole console)
    {
        var request = new CreateCaseRequest { Title = args.Required("title"), Reference = args.Optional("reference") ?? string.Empty };
        foreach (var party in args.All("party"))
        {
            var colon = party.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == party.Length - 1)
            {
                throw new UsageException($"--party \"{Text.Printable(party)}\": expected ROLE:NAME, e.g. claimant:Li Wei");
            }

            request.Parties.Add(new CaseParty { Role = party[..colon], Name = party[(colon + 1)..] });
        }

        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var change = await node.Cases.CreateCaseAsync(request, node.Options);
            await WriteChangeAsync(console, settings.Json, change);
            return ExitCode.Verified;
        });
    }

    private static async Task<int> ShowAsync(Arguments args, NodeSettings settings, CliConsole console)
    {
        var id = args.Positional.FirstOrDefault() ?? throw new UsageException("case show needs a case ID");
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var shown = await node.Cases.GetCaseAsync(new GetCaseRequest { Id = id }, node.Options);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, JsonNode.Parse(Google.Protobuf.JsonFormatter.Default.Format(shown))!);
                return ExitCode.Verified;
            }

            await console.Out.WriteLineAsync($"case {shown.Id}  {shown.Status}  {Text.Printable(shown.Title)}");
            if (shown.Reference.Length > 0)
            {
                await console.Out.WriteLineAsync($"reference {Text.Printable(shown.Reference)}");
            }

            foreach (var party in shown.Parties)
            {
                await console.Out.WriteLineAsync($"party {party.Role}: {Text.Printable(party.Name)}");
            }

            await console.Out.WriteLineAsync($"created {shown.CreatedAt} by {Who(shown.CreatedBy, shown.CreatedByDescription)}");
            await console.Out.WriteLineAsync(Invariant($"items ({shown.Items.Count}):"));
            foreach (var item in shown.Items)
            {
                // A title the key may not see (another submitter's entry) comes empty: say so rather than print "".
                var title = item.Title.Length > 0 ? $"\"{Text.Printable(item.Title)}\"" : "(title not shown to this key)";
                var screenshot = item.HasScreenshot ? "  with screenshot" : string.Empty;
                await console.Out.WriteLineAsync(Invariant(
                    $"  entry {item.Index}  {item.Kind}  {title}{screenshot}  attached {item.AttachedAt} by {Who(item.AttachedBy, item.AttachedByDescription)} (event {item.EventIndex})"));
                await console.Out.WriteLineAsync($"    leaf hash {item.LeafHash}");
            }

            await console.Out.WriteLineAsync(Invariant($"events ({shown.Events.Count}):"));
            foreach (var e in shown.Events)
            {
                var evidence = e.HasEvidence ? Invariant($" entry {e.EvidenceIndex}") : string.Empty;
                var text = e.Text.Length > 0 ? $" \"{Text.Printable(e.Text)}\"" : string.Empty;
                var manifest = e.ManifestSha256.Length > 0 ? $" manifest {e.ManifestSha256}" : string.Empty;
                await console.Out.WriteLineAsync(Invariant($"  {e.Index}  {e.Time}  {e.Action,-6} by {Who(e.Actor, e.ActorDescription)}{evidence}{text}{manifest}"));
            }

            return ExitCode.Verified;
        });
    }

    /// <summary>A key as people know it: its description and id, or the id alone when the node gave no description.</summary>
    private static string Who(string keyId, string description) =>
        description.Length > 0 ? $"{Text.Printable(description)} ({keyId})" : keyId;

    private static async Task<int> ListAsync(Arguments args, NodeSettings settings, CliConsole console)
    {
        var status = args.Optional("status") ?? string.Empty;
        var query = args.Optional("query") ?? string.Empty;
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var list = await node.Cases.ListCasesAsync(new ListCasesRequest { Status = status, Q = query }, node.Options);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, JsonNode.Parse(Google.Protobuf.JsonFormatter.Default.Format(list))!);
                return ExitCode.Verified;
            }

            foreach (var c in list.Cases)
            {
                var parties = c.Parties.Count == 0 ? string.Empty : "  parties: " + string.Join(", ", c.Parties.Select(p => $"{Text.Printable(p.Name)} ({p.Role})"));
                await console.Out.WriteLineAsync(Invariant($"{c.Id}  {c.Status,-6}  {c.ItemCount} item(s)  {c.CreatedAt}  {Text.Printable(c.Title)}  {Text.Printable(c.Reference)}{parties}").TrimEnd());
            }

            return ExitCode.Verified;
        });
    }

    private static async Task<int> ChangeAsync(
        Arguments args, NodeSettings settings, CliConsole console, int positional, Func<NodeClient, List<string>, Task<CaseChange>> call)
    {
        if (args.Positional.Count != positional)
        {
            throw new UsageException(positional == 1 ? "this command needs a case ID" : "this command needs a case ID and " + (args.Positional.Count == 0 ? "a second argument" : "one more argument"));
        }

        var parameters = args.Positional;
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            await WriteChangeAsync(console, settings.Json, await call(node, parameters));
            return ExitCode.Verified;
        });
    }

    private static async Task<int> ExportAsync(Arguments args, NodeSettings settings, CliConsole console)
    {
        var output = args.Optional("output") ?? throw new UsageException("case export needs -o FILE.zip (or --output FILE)");
        var replace = args.Flag("force");
        var id = args.Positional.FirstOrDefault() ?? throw new UsageException("case export needs a case ID");
        var target = LocalFiles.Target(output, replace);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            // The export's VERIFY.txt then names the zip as it is saved here.
            using var call = node.Cases.ExportCase(new ExportCaseRequest { CaseId = id, FileName = target.Name }, node.Options);
            var info = await StreamedExport.SaveAsync(
                call.ResponseStream, target, replace,
                m => m.PartCase == ExportCaseResponse.PartOneofCase.Info ? m.Info : null,
                m => m.PartCase == ExportCaseResponse.PartOneofCase.Chunk ? m.Chunk : null,
                i => (i.Size, i.Sha256),
                node.Cancellation);

            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject
                {
                    ["file"] = output,
                    ["size"] = info.Size,
                    ["sha256"] = info.Sha256,
                    ["manifestSha256"] = info.ManifestSha256,
                    ["exportEvent"] = info.Event.Index,
                });
            }
            else
            {
                await console.Out.WriteLineAsync(Invariant($"wrote {Text.Printable(output)}: case {id}, {info.Size} bytes; the export is case event {info.Event.Index} (manifest sha256 {info.ManifestSha256})"));
                await console.Out.WriteLineAsync($"check it offline: evidencectl verify-case {Text.Printable(output)} --log-key VKEY --tsa-ca TSA-CA.pem");
            }

            return ExitCode.Verified;
        });
    }

    private static async Task WriteChangeAsync(CliConsole console, bool json, CaseChange change)
    {
        if (json)
        {
            await JsonOutput.WriteAsync(console, JsonNode.Parse(Google.Protobuf.JsonFormatter.Default.Format(change))!);
            return;
        }

        var e = change.Event;
        await console.Out.WriteLineAsync(Invariant($"case {change.Case.Id}: {e.Action} recorded as entry {e.Index} (leaf hash {e.LeafHash}); the case is {change.Case.Status} with {change.Case.Items.Count} item(s)"));
    }

    private static ulong Index(string text) => Arguments.ParseUInt64("INDEX", text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
