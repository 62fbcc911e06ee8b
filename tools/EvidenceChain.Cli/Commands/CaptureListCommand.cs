using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>capture --from FILE [--case ID]</c>: submits FILE's URLs (one a line; blank lines and lines starting with '#'
/// skipped) as one capture job, follows it to the end (a bar on a terminal, a line per URL otherwise) and sums it up.
/// Exit 1 when any URL failed.
/// </summary>
internal static class CaptureListCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(300);

    public static async Task<int> RunAsync(NodeSettings settings, CliConsole console, string file, string caseId, bool noBrowser)
    {
        var urls = Read(file);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var request = new CaptureBatchRequest { CaseId = caseId, NoBrowser = noBrowser };
            request.Urls.AddRange(urls);
            var job = await node.Jobs.CaptureBatchAsync(request, node.Options);
            if (!settings.Json)
            {
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"capture job {job.Id}: {job.Total} URL(s){(caseId.Length > 0 ? ", attached to case " + Text.Printable(caseId) : string.Empty)}"));
            }

            var reported = new HashSet<uint>();
            var terminal = console.ErrorIsTerminal && !settings.Json;
            while (true)
            {
                if (terminal)
                {
                    Bar(console, job);
                }
                else if (!settings.Json)
                {
                    foreach (var item in job.Items.Where(i => i.State is "done" or "failed" or "cancelled" && reported.Add(i.Position)))
                    {
                        await console.Out.WriteLineAsync(Line(item));
                    }
                }

                if (job.State is "done" or "cancelled")
                {
                    break;
                }

                await Task.Delay(Poll, node.Cancellation);
                job = await node.Jobs.GetCaptureJobAsync(new GetCaptureJobRequest { Id = job.Id }, node.Options);
            }

            if (terminal)
            {
                await console.Error.WriteLineAsync();
            }

            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, ToJson(job));
            }
            else
            {
                if (terminal)
                {
                    foreach (var item in job.Items.Where(i => i.State == "failed"))
                    {
                        await console.Out.WriteLineAsync(Line(item));
                    }
                }

                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"capture job {job.Id}: {job.Total} URL(s): {job.Done} captured, {job.Failed} failed{(job.Cancelled > 0 ? $", {job.Cancelled} cancelled" : string.Empty)}"));
            }

            return job.Failed + job.Cancelled > 0 ? ExitCode.Failed : ExitCode.Verified;
        });
    }

    private static List<string> Read(string file)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--from {file}: {e.Message}");
        }

        var urls = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        return urls.Count == 0 ? throw new UsageException($"--from {file}: no URL in it (one a line; # starts a comment)") : urls;
    }

    internal static string Line(Api.V1.CaptureJobItem item) => item.State is "pending" or "running" or "cancelled"
        ? $"{(item.State + " ").PadRight(8)}{Text.Printable(item.Url)}{(item.Reason.Length > 0 ? ": " + Text.Printable(item.Reason) : string.Empty)}"
        : item.State == "done"
        ? string.Create(CultureInfo.InvariantCulture, $"done    {Text.Printable(item.Url)}: entry {item.EntryIndex}")
        : string.Create(CultureInfo.InvariantCulture,
            $"failed  {Text.Printable(item.Url)}: {Text.Printable(item.Reason)}{(item.HasEntryIndex ? $" (entry {item.EntryIndex})" : string.Empty)}");

    private static void Bar(CliConsole console, Api.V1.CaptureJob job)
    {
        const int Width = 30;
        var finished = job.Done + job.Failed;
        var filled = job.Total == 0 ? Width : (int)(finished * Width / job.Total);
        console.Error.Write(string.Create(CultureInfo.InvariantCulture,
            $"\rcapturing [{new string('#', filled)}{new string(' ', Width - filled)}] {finished}/{job.Total}, {job.Failed} failed"));
    }

    internal static JsonObject ToJson(Api.V1.CaptureJob job)
    {
        var items = new JsonArray();
        foreach (var item in job.Items)
        {
            items.Add(new JsonObject
            {
                ["position"] = item.Position,
                ["url"] = item.Url,
                ["state"] = item.State,
                ["entryIndex"] = item.HasEntryIndex ? item.EntryIndex : null,
                ["reason"] = item.Reason.Length > 0 ? item.Reason : null,
            });
        }

        return new JsonObject
        {
            ["id"] = job.Id,
            ["state"] = job.State,
            ["caseId"] = job.CaseId.Length > 0 ? job.CaseId : null,
            ["total"] = job.Total,
            ["done"] = job.Done,
            ["failed"] = job.Failed,
            ["cancelled"] = job.Cancelled,
            ["items"] = items,
        };
    }
}
