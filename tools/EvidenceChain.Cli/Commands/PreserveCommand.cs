using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Digests;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>preserve FILE...</c>: streams each file to the node and reports the entry it became.</summary>
internal static class PreserveCommand
{
    /// <summary>
    /// Below the node's chunk limit (Limits:MaxChunkSize, 1 MiB by default) and below .NET's large-object threshold
    /// (85,000 bytes): the node allocates each received chunk, and 1 MiB chunks made it run background
    /// collections of the large-object heap all through an upload.
    /// </summary>
    private const int ChunkSize = 64 * 1024;

    /// <summary>
    /// Bytes sent between two gen-0 collections. The HTTP/2 client leaves a little garbage per 16 KiB frame, and the
    /// GC sizes its gen-0 budget by the largest CPU cache (about 24 MiB with a 48 MiB L3), so without this a large
    /// upload grows the CLI by that budget; collecting every 32 MiB keeps the memory flat (bench/README.md).
    /// </summary>
    private const long CollectEvery = 32 << 20;

    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var title = args.Optional("title") ?? string.Empty;
        var description = args.Optional("description") ?? string.Empty;
        var mediaType = args.Optional("media-type");
        var receipts = args.Optional("receipts");
        if (receipts is not null)
        {
            CreateReceiptsFolder(receipts);
        }

        if (args.Positional.Count == 0)
        {
            throw new UsageException("preserve needs at least one FILE");
        }

        var files = args.Positional.Select(path => (Path: path, Info: LocalFiles.Existing(path))).ToList();
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var preserved = new JsonArray();
            try
            {
                foreach (var (path, info) in files)
                {
                    var metadata = new FileMetadata
                    {
                        FileName = info.Name,
                        MediaType = mediaType ?? MediaTypes.Guess(info.Name),
                        Title = title,
                        Description = description,
                        WaitForReceipt = receipts is not null,
                    };
                    var response = await PreserveAsync(node, console, path, info, metadata);
                    var entry = response.Entry;
                    preserved.Add(new JsonObject
                    {
                        ["file"] = path,
                        ["entry"] = EntryFormat.ToJson(entry),
                        ["treeSize"] = response.TreeSize,
                        ["signedCheckpoint"] = response.SignedCheckpoint,
                    });
                    if (!settings.Json)
                    {
                        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{Text.Printable(path)}: entry {entry.Index}, leaf hash {entry.LeafHash}"));
                        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"  sha256 {metadata.ExpectedSha256}, {info.Length} bytes, {metadata.MediaType}; in the checkpoint of size {response.TreeSize}"));
                    }

                    if (receipts is not null)
                    {
                        var receipt = response.Receipt ?? throw new BadReplyException("the node did not send the receipt it was asked for");
                        var output = Path.Combine(receipts, string.Create(CultureInfo.InvariantCulture, $"entry-{entry.Index}.evidence.zip"));
                        await ReceiptFiles.WriteAsync(node, receipt, LocalFiles.Target(output, replace: false), replace: false, withArtefacts: null);
                        preserved[^1]!["receipt"] = output;
                        if (!settings.Json)
                        {
                            await console.Out.WriteLineAsync($"  receipt {Text.Printable(output)}, timestamped {receipt.TimestampTime}");
                        }
                    }
                }
            }
            finally
            {
                // Scripts learn which files were preserved before a failure too.
                if (settings.Json && preserved.Count > 0)
                {
                    await JsonOutput.WriteAsync(console, new JsonObject { ["preserved"] = preserved });
                }
            }

            return ExitCode.Verified;
        });
    }

    // One read of the file: each chunk is hashed, then sent while the next is read and hashed; the SHA-256 follows
    // the content as a trailer, which the node checks before it keeps anything.
    private static async Task<PreserveFileResponse> PreserveAsync(
        NodeClient node, CliConsole console, string path, FileInfo info, FileMetadata metadata)
    {
        var ct = node.Cancellation;
        await using var content = Open(path, info);
        using var hasher = new ArtefactHasher(withSm3: false);
        using var call = node.Evidence.PreserveFile(node.Options);
        try
        {
            await call.RequestStream.WriteAsync(new PreserveFileRequest { Metadata = metadata }, ct);
            var progress = ProgressBar.Start(console, $"preserving {path}", info.Length);
            byte[][] buffers = [new byte[ChunkSize], new byte[ChunkSize]];
            var sending = Task.CompletedTask;
            long done = 0, collected = 0;
            for (var i = 0; ; i ^= 1)
            {
                var read = await ReadAsync(path, content, buffers[i], ct);
                if (read == 0)
                {
                    break;
                }

                hasher.Append(buffers[i].AsSpan(0, read));
                await sending;
                done += read;
                progress?.Report(done);
                if (done - collected >= CollectEvery)
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    collected = done;
                }

                // The message wraps the buffer without a copy: it is read again only after this write completed.
                sending = call.RequestStream.WriteAsync(
                    new PreserveFileRequest { Chunk = UnsafeByteOperations.UnsafeWrap(buffers[i].AsMemory(0, read)) }, ct);
            }

            await sending;
            metadata.ExpectedSha256 = hasher.Finish().Sha256.ToString();
            await call.RequestStream.WriteAsync(new PreserveFileRequest { Trailer = new FileTrailer { ExpectedSha256 = metadata.ExpectedSha256 } }, ct);
            progress?.Finish();
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // A node that refused the call (no key, a limit) ends it while we write: its status says why.
            await call.ResponseAsync;
            throw;
        }

        return await call.ResponseAsync;
    }

    private static FileStream Open(string path, FileInfo info)
    {
        try
        {
            return new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
    }

    private static async Task<int> ReadAsync(string path, Stream content, byte[] buffer, CancellationToken ct)
    {
        try
        {
            return await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>Creates the --receipts folder if it is missing, before anything is sent.</summary>
    private static void CreateReceiptsFolder(string path)
    {
        if (File.Exists(path))
        {
            throw new UsageException($"--receipts {path} is a file; give a folder (it is created if missing)");
        }

        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"--receipts {path}: cannot create the folder: {e.Message}");
        }
    }
}
