using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;
using Grpc.Core;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>certificate INDEX -o FILE.pdf [--with-artefacts] [--force]</c>: saves an entry's evidence certificate, checked
/// against the SHA-256 the node announced before FILE is written.
/// </summary>
internal static class CertificateCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var output = args.Optional("output") ?? throw new UsageException("certificate needs -o FILE.pdf (or --output FILE)");
        var withArtefacts = args.Flag("with-artefacts");
        var replace = args.Flag("force");
        var index = Arguments.ParseUInt64("INDEX", args.Positional.FirstOrDefault() ?? throw new UsageException("certificate needs an INDEX"));
        var target = LocalFiles.Target(output, replace);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            using var call = node.Evidence.GetCertificate(new GetCertificateRequest { Index = index, WithArtefacts = withArtefacts }, node.Options);
            CertificateInfo? info = null;
            using var pdf = new MemoryStream();
            await foreach (var message in call.ResponseStream.ReadAllAsync(node.Cancellation))
            {
                if (message.PartCase == GetCertificateResponse.PartOneofCase.Info && info is null)
                {
                    info = message.Info;
                }
                else if (message.PartCase == GetCertificateResponse.PartOneofCase.Chunk && info is not null)
                {
                    pdf.Write(message.Chunk.Span);
                }
                else
                {
                    throw new BadReplyException("the certificate stream must be its description, then chunks");
                }
            }

            if (info is null || (ulong)pdf.Length != info.Size || Convert.ToHexStringLower(SHA256.HashData(pdf.ToArray())) != info.Sha256)
            {
                throw new BadReplyException("the certificate received does not match the size and SHA-256 the node announced");
            }

            try
            {
                var temp = Path.Combine(target.DirectoryName ?? ".", $".{target.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
                await File.WriteAllBytesAsync(temp, pdf.ToArray(), node.Cancellation);
                File.Move(temp, target.FullName, replace);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write {output}: {e.Message}");
            }

            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject
                {
                    ["file"] = output,
                    ["index"] = index,
                    ["number"] = info.Number,
                    ["size"] = info.Size,
                    ["sha256"] = info.Sha256,
                });
            }
            else
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {Text.Printable(output)}: certificate {info.Number} of entry {index}, {info.Size} bytes, SHA-256 {info.Sha256}"));
                await console.Out.WriteLineAsync($"check its signature with pdfsig {Text.Printable(output)}; extract the proof with pdfdetach -saveall {Text.Printable(output)}, then evidencectl verify it");
            }

            return ExitCode.Verified;
        });
    }
}
