using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>job list|show|cancel</c>: capture jobs on a node (docs/formats.md §20).</summary>
internal static class JobCommands
{
    public static async Task<int> RunAsync(string command, Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        return command switch
        {
            "list" => await NodeClient.RunAsync(settings, console, async node =>
            {
                var list = await node.Jobs.ListCaptureJobsAsync(new ListCaptureJobsRequest(), node.Options);
                if (settings.Json)
                {
                    await JsonOutput.WriteAsync(console, new JsonObject { ["jobs"] = new JsonArray([.. list.Jobs.Select(CaptureListCommand.ToJson)]) });
                }
                else if (list.Jobs.Count == 0)
                {
                    await console.Out.WriteLineAsync("no capture jobs");
                }
                else
                {
                    foreach (var job in list.Jobs)
                    {
                        await console.Out.WriteLineAsync(Summary(job));
                    }
                }

                return ExitCode.Verified;
            }),
            "show" or "cancel" => await NodeClient.RunAsync(settings, console, async node =>
            {
                var request = new GetCaptureJobRequest { Id = One(args) };
                var job = command == "cancel"
                    ? await node.Jobs.CancelCaptureJobAsync(request, node.Options)
                    : await node.Jobs.GetCaptureJobAsync(request, node.Options);
                if (settings.Json)
                {
                    await JsonOutput.WriteAsync(console, CaptureListCommand.ToJson(job));
                }
                else
                {
                    await console.Out.WriteLineAsync(Summary(job));
                    foreach (var item in job.Items)
                    {
                        await console.Out.WriteLineAsync("  " + CaptureListCommand.Line(item));
                    }
                }

                return ExitCode.Verified;
            }),
            _ => throw new UsageException($"unknown command \"job {command}\"; run evidencectl job --help"),
        };
    }

    private static string One(Arguments args) => args.Positional.FirstOrDefault() ?? throw new UsageException("give the capture job's ID");

    private static string Summary(Api.V1.CaptureJob job) => string.Create(CultureInfo.InvariantCulture,
        $"capture job {job.Id}: {job.State}, {job.Total} URL(s): {job.Done} done, {job.Failed} failed, {job.Cancelled} cancelled, {job.Pending} pending, {job.Running} running; created {job.Created}{(job.CaseId.Length > 0 ? ", case " + job.CaseId : string.Empty)}");
}
