using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Digests;
using Grpc.Core;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>download INDEX NAME -o FILE</c>: streams an artefact into a temporary file beside FILE and renames it to FILE
/// only once its SHA-256 and size match what the entry lists, so FILE never holds partial or wrong content.
/// </summary>
internal static class DownloadCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var output = args.Optional("output") ?? throw new UsageException("download needs -o FILE (or --output FILE)");
        var replace = args.Flag("force");
        if (args.Positional.Count < 2)
        {
            throw new UsageException("download needs INDEX and the artefact NAME (see evidencectl entry INDEX)");
        }

        var index = Arguments.ParseUInt64("INDEX", args.Positional[0]);
        var name = args.Positional[1];
        var target = LocalFiles.Target(output, replace);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var entry = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, node.Options);
            // A preserved file's artefact is named "file" in the log; its own name is a commitment the node discloses to this key.
            var listed = entry.Artefacts.FirstOrDefault(a => a.Name == name)
                ?? (entry.Artefacts.Count == 1 && entry.Disclosed.TryGetValue("file-name", out var own) && own == name ? entry.Artefacts[0] : null);
            if (listed is null)
            {
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"evidencectl: entry {index} has no artefact named \"{Text.Printable(name)}\"; it lists: {string.Join(", ", entry.Artefacts.Select(a => Text.Printable(a.Name)))}"));
                return ExitCode.Failed;
            }

            var expected = NodeHashes.Parse(listed.Sha256, "artefact sha256");
            var temp = Path.Combine(target.DirectoryName ?? ".", $".{target.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.download");
            try
            {
                var received = await ReceiveAsync(node, console, new DownloadArtefactRequest { Index = index, Name = listed.Name }, listed, temp, output);
                if (received.Sha256 != expected || received.Size != checked((long)listed.Size))
                {
                    await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"FAILED: the content received ({received.Size} bytes, SHA-256 {received.Sha256}) is not what entry {index} lists ({listed.Size} bytes, SHA-256 {expected}); {output} was not written"));
                    return ExitCode.Failed;
                }

                Move(temp, target, replace);
            }
            finally
            {
                File.Delete(temp);
            }

            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject
                {
                    ["file"] = output,
                    ["index"] = index,
                    ["artefact"] = EntryFormat.ToJson(listed),
                });
            }
            else
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {Text.Printable(output)}: {listed.Size} bytes, SHA-256 {expected} as listed in entry {index}"));
            }

            return ExitCode.Verified;
        });
    }

    private static async Task<ArtefactDigests> ReceiveAsync(
        NodeClient node, CliConsole console, DownloadArtefactRequest request, Artefact listed, string temp, string output)
    {
        var ct = node.Cancellation;
        using var call = node.Evidence.DownloadArtefact(request, node.Options);
        using var hasher = new ArtefactHasher(withSm3: false);
        await using var file = CreateTemp(temp, output);
        var progress = ProgressBar.Start(console, $"downloading {output}", checked((long)listed.Size));
        var described = false;
        await foreach (var message in call.ResponseStream.ReadAllAsync(ct))
        {
            if (message.PartCase == DownloadArtefactResponse.PartOneofCase.Artefact && !described)
            {
                described = true;
                continue;
            }

            if (message.PartCase != DownloadArtefactResponse.PartOneofCase.Chunk || !described)
            {
                throw new BadReplyException("the download stream must be the artefact's description, then chunks");
            }

            hasher.Append(message.Chunk.Span);
            await Write(file, message.Chunk.Memory, output, ct);
            progress?.Report(hasher.Length);
        }

        progress?.Finish();
        await file.FlushAsync(ct);
        return hasher.Finish();
    }

    private static FileStream CreateTemp(string temp, string output)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write beside {output}: {e.Message}");
        }
    }

    private static async Task Write(FileStream file, ReadOnlyMemory<byte> chunk, string output, CancellationToken ct)
    {
        try
        {
            await file.WriteAsync(chunk, ct);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot write {output}: {e.Message}");
        }
    }

    private static void Move(string temp, FileInfo target, bool replace)
    {
        try
        {
            File.Move(temp, target.FullName, replace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {target.FullName}: {e.Message}");
        }
    }
}
