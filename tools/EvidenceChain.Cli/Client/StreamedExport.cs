using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Cli.Client;

/// <summary>
/// Saves an export the node streams (its description first, then the zip in chunks: <c>ExportCase</c>,
/// <c>ExportWatch</c>) through a temporary file beside the target, which replaces the target only once the bytes match
/// the size and SHA-256 the description announced.
/// </summary>
internal static class StreamedExport
{
    /// <summary>Saves the stream to <paramref name="target"/> and returns the description.</summary>
    /// <exception cref="BadReplyException">The stream is out of order, or its bytes do not match the description.</exception>
    /// <exception cref="UsageException">The file cannot be written.</exception>
    public static async Task<TInfo> SaveAsync<TMessage, TInfo>(
        IAsyncStreamReader<TMessage> stream,
        FileInfo target,
        bool replace,
        Func<TMessage, TInfo?> info,
        Func<TMessage, ByteString?> chunk,
        Func<TInfo, (ulong Size, string Sha256)> announced,
        CancellationToken cancellationToken)
        where TInfo : class
    {
        var temp = Path.Combine(target.DirectoryName ?? ".", $".{target.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.partial");
        TInfo? description = null;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                while (await stream.MoveNext(cancellationToken))
                {
                    var message = stream.Current;
                    if (description is null && info(message) is { } first)
                    {
                        description = first;
                    }
                    else if (description is not null && chunk(message) is { } bytes)
                    {
                        sha256.AppendData(bytes.Span);
                        await file.WriteAsync(bytes.Memory, cancellationToken);
                    }
                    else
                    {
                        throw new BadReplyException("the export stream must start with its description, then carry only chunks");
                    }
                }

                await file.FlushAsync(cancellationToken);
                if (description is null || (ulong)file.Length != announced(description).Size || Convert.ToHexStringLower(sha256.GetHashAndReset()) != announced(description).Sha256)
                {
                    throw new BadReplyException("the export's bytes do not match the size and SHA-256 the node announced");
                }
            }

            File.Move(temp, target.FullName, replace);
            return description;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {target.FullName}: {e.Message}");
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
