using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>watch add|list|show|stop|export</c>: watches on a node (docs/formats.md §20).</summary>
internal static class WatchCommands
{
    public static async Task<int> RunAsync(string command, Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        return command switch
        {
            "add" => await AddAsync(args, settings, console),
            "list" => await NodeClient.RunAsync(settings, console, async node =>
            {
                var list = await node.Watches.ListWatchesAsync(new ListWatchesRequest(), node.Options);
                if (settings.Json)
                {
                    await JsonOutput.WriteAsync(console, new JsonObject { ["watches"] = new JsonArray([.. list.Watches.Select(ToJson)]) });
                }
                else if (list.Watches.Count == 0)
                {
                    await console.Out.WriteLineAsync("no watches");
                }
                else
                {
                    foreach (var w in list.Watches)
                    {
                        await console.Out.WriteLineAsync(Summary(w));
                    }
                }

                return ExitCode.Verified;
            }),
            "show" => await NodeClient.RunAsync(settings, console, async node =>
            {
                var request = new GetWatchRequest { Id = One(args) };
                var watch = await node.Watches.GetWatchAsync(request, node.Options);
                var timeline = await node.Watches.GetWatchTimelineAsync(request, node.Options);
                if (settings.Json)
                {
                    var json = ToJson(watch);
                    json["timeline"] = new JsonArray([.. timeline.Events.Select(ToJson)]);
                    await JsonOutput.WriteAsync(console, json);
                }
                else
                {
                    await console.Out.WriteLineAsync(Summary(watch));
                    foreach (var e in timeline.Events)
                    {
                        await console.Out.WriteLineAsync(Line(e));
                    }
                }

                return ExitCode.Verified;
            }),
            "stop" => await NodeClient.RunAsync(settings, console, async node =>
            {
                var watch = await node.Watches.StopWatchAsync(new GetWatchRequest { Id = One(args) }, node.Options);
                if (settings.Json)
                {
                    await JsonOutput.WriteAsync(console, ToJson(watch));
                }
                else
                {
                    await console.Out.WriteLineAsync(Summary(watch));
                }

                return ExitCode.Verified;
            }),
            "export" => await ExportAsync(args, settings, console),
            _ => throw new UsageException($"unknown command \"watch {command}\"; run evidencectl watch --help"),
        };
    }

    private static async Task<int> AddAsync(Arguments args, NodeSettings settings, CliConsole console)
    {
        var url = One(args);
        var everyText = args.Required("every");
        if (!uint.TryParse(everyText, NumberStyles.None, CultureInfo.InvariantCulture, out var every) || every < 1)
        {
            throw new UsageException($"--every {everyText}: give the minutes between captures, a whole number of at least 1");
        }

        var request = new CreateWatchRequest
        {
            Url = url, EveryMinutes = every, Until = args.Required("until"), CaseId = args.Optional("case") ?? string.Empty, NoBrowser = args.Flag("no-browser"),
        };
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var watch = await node.Watches.CreateWatchAsync(request, node.Options);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, ToJson(watch));
            }
            else
            {
                await console.Out.WriteLineAsync(Summary(watch));
            }

            return ExitCode.Verified;
        });
    }

    private static async Task<int> ExportAsync(Arguments args, NodeSettings settings, CliConsole console)
    {
        var output = args.Optional("output") ?? throw new UsageException("watch export needs -o FILE.zip (or --output FILE)");
        var id = One(args);
        var target = LocalFiles.Target(output, args.Flag("force"));
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            // The export's VERIFY.txt then names the zip as it is saved here.
            using var call = node.Watches.ExportWatch(new ExportWatchRequest { Id = id, FileName = target.Name }, node.Options);
            var info = await StreamedExport.SaveAsync(
                call.ResponseStream, target, args.Flag("force"),
                m => m.PartCase == ExportWatchResponse.PartOneofCase.Info ? m.Info : null,
                m => m.PartCase == ExportWatchResponse.PartOneofCase.Chunk ? m.Chunk : null,
                i => (i.Size, i.Sha256),
                node.Cancellation);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject
                {
                    ["file"] = output,
                    ["size"] = info.Size,
                    ["sha256"] = info.Sha256,
                    ["summaryIndex"] = info.SummaryIndex,
                    ["summarisedForExport"] = info.SummarisedForExport,
                    ["captures"] = info.Captures,
                });
            }
            else
            {
                var summary = info.SummarisedForExport
                    ? string.Create(CultureInfo.InvariantCulture, $"the watch is running, so summary entry {info.SummaryIndex} was made for this export")
                    : string.Create(CultureInfo.InvariantCulture, $"its summary is entry {info.SummaryIndex}");
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {Text.Printable(output)}: watch {id}, {info.Captures} capture receipt(s), {info.Size} bytes; {summary}"));
                await console.Out.WriteLineAsync($"check it offline: evidencectl verify-watch {Text.Printable(output)} --log-key VKEY --tsa-ca TSA-CA.pem");
            }

            return ExitCode.Verified;
        });
    }

    private static string One(Arguments args) => args.Positional.FirstOrDefault() ?? throw new UsageException("give the watch's ID");

    private static string Summary(Watch w)
    {
        var state = w.State == "active"
            ? "active" + (w.NextSlot.Length > 0 ? ", next capture " + w.NextSlot : string.Empty)
            : string.Create(CultureInfo.InvariantCulture, $"ended {w.Ended} ({Text.Printable(w.EndReason)}){(w.HasSummaryIndex ? $", summary entry {w.SummaryIndex}" : string.Empty)}");
        return string.Create(CultureInfo.InvariantCulture,
            $"watch {w.Id}: {Text.Printable(w.Url)} every {w.EveryMinutes} min from {w.Start} until {w.Until}; {state}");
    }

    private static string Line(Api.V1.WatchEvent e)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"  slot {e.Slot} {e.Time} {e.Kind}");
        if (e.HasEntryIndex)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" entry {e.EntryIndex} HTTP {e.HttpStatus}");
        }

        // A gone slot's reason for an HTTP error status repeats the status the line already shows.
        var repeatsStatus = e.HasEntryIndex && e.Reason == string.Create(CultureInfo.InvariantCulture, $"http-status: HTTP {e.HttpStatus}");
        return e.Reason.Length > 0 && !repeatsStatus ? line + ": " + Text.Printable(e.Reason) : line;
    }

    private static JsonObject ToJson(Watch w) => new()
    {
        ["id"] = w.Id,
        ["url"] = w.Url,
        ["everyMinutes"] = w.EveryMinutes,
        ["start"] = w.Start,
        ["until"] = w.Until,
        ["caseId"] = w.CaseId.Length > 0 ? w.CaseId : null,
        ["state"] = w.State,
        ["nextSlot"] = w.NextSlot.Length > 0 ? w.NextSlot : null,
        ["ended"] = w.Ended.Length > 0 ? w.Ended : null,
        ["endReason"] = w.EndReason.Length > 0 ? w.EndReason : null,
        ["summaryIndex"] = w.HasSummaryIndex ? w.SummaryIndex : null,
    };

    private static JsonObject ToJson(Api.V1.WatchEvent e) => new()
    {
        ["slot"] = e.Slot,
        ["time"] = e.Time,
        ["kind"] = e.Kind,
        ["entryIndex"] = e.HasEntryIndex ? e.EntryIndex : null,
        ["httpStatus"] = e.HttpStatus,
        ["payloadSha256"] = e.PayloadSha256.Length > 0 ? e.PayloadSha256 : null,
        ["reason"] = e.Reason.Length > 0 ? e.Reason : null,
    };
}
