using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>verify FILE.evidence.zip --log-key VKEY --tsa-ca PEM [--policy FILE] [--artefact PATH]...</c>, or a bare
/// <c>verify proof.tlog-proof --entry entry.json --log-key VKEY [--tsr TSR --tsa-ca PEM]</c>: checks a receipt offline
/// with <see cref="ReceiptVerifier"/>, one line per step.
/// </summary>
internal static class VerifyCommand
{
    private const long MaxSmallFileBytes = 2 << 20;

    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var json = args.Flag("json");
        var policy = PolicyOption.Read(args);
        var logKey = PolicyOption.LogKey(args, policy);
        var sm2Key = args.Optional("sm2-key") is { } sm2Text ? ReadLogKey(sm2Text, "--sm2-key") : null;
        if (sm2Key is { Type: not NoteKeyType.Sm2 })
        {
            throw new UsageException($"--sm2-key {sm2Key.Name}+{sm2Key.KeyId:x8} is not an SM2 key (the node writes it to keys/log-sm2.vkey)");
        }

        var caFiles = args.All("tsa-ca");
        var entryPath = args.Optional("entry");
        var tsrPath = args.Optional("tsr");
        var artefactPaths = args.All("artefact");
        var file = args.Positional.FirstOrDefault() ?? throw new UsageException("verify needs a receipt FILE.evidence.zip, or a .tlog-proof with --entry");
        var bare = entryPath is not null || file.EndsWith(".tlog-proof", StringComparison.OrdinalIgnoreCase);
        if (bare && entryPath is null)
        {
            throw new UsageException("a bare .tlog-proof needs --entry ENTRY.json (the leaf bytes)");
        }

        if (caFiles.Count == 0 && (!bare || tsrPath is not null))
        {
            throw new UsageException("--tsa-ca PEM is required to check the timestamp: pin the TSA's CA certificate");
        }

        if (!bare && tsrPath is not null)
        {
            throw new UsageException("--tsr is for a bare .tlog-proof; a receipt zip holds its own checkpoint.tsr");
        }

        var trust = new ReceiptTrust
        {
            LogKey = logKey,
            TsaCas = ReadCas(caFiles),
            CheckpointChecks = sm2Key is null ? [] : [CheckpointChecks.Sm2Signature(sm2Key)],
            Witnesses = policy,
        };
        var artefacts = artefactPaths.Select(p =>
        {
            RequireFile(p, "--artefact");
            return OpenLater(p);
        }).ToList();

        VerificationReport report;
        if (bare)
        {
            var evidence = new ReceiptEvidence
            {
                Entry = await ReadSmallAsync(entryPath!, "--entry"),
                Proof = await ReadSmallAsync(file, "the proof"),
                TimestampResponse = tsrPath is null ? (ReadOnlyMemory<byte>?)null : await ReadSmallAsync(tsrPath, "--tsr"),
                Artefacts = artefacts,
            };
            report = await ReceiptVerifier.VerifyAsync(evidence, trust, console.Cancellation);
        }
        else
        {
            RequireFile(file, "the receipt");
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            ReceiptPackage package;
            try
            {
                package = await ReceiptArchive.OpenAsync(stream, cancellationToken: console.Cancellation);
            }
            catch (ReceiptFormatException e)
            {
                throw new UsageException($"{file}: {e.Message}");
            }

            await using (package)
            {
                var evidence = package.Evidence with { Artefacts = [.. package.Evidence.Artefacts, .. artefacts] };
                report = await ReceiptVerifier.VerifyAsync(evidence, trust, console.Cancellation);
            }
        }

        var steps = new StepReport();
        steps.Add(report);
        var timestamp = report.Steps.FirstOrDefault(s => s.Name == "timestamp");
        var success = timestamp is { Passed: true }
            ? "every step passed; trusted time: " + timestamp.Detail
            : "every step passed, but the trusted time was NOT checked (no timestamp given)";
        var witnesses = report.Steps.FirstOrDefault(s => s.Name == "witnesses");
        if (witnesses is { Passed: true })
        {
            success += $"; witnessed: {string.Join(", ", report.Cosignatures.Select(c => c.Witness))} (policy {policy!.DescribeQuorum()})";
        }

        return await steps.WriteAsync(console, json, success, new JsonObject
        {
            ["file"] = file,
            ["trustedTimeChecked"] = timestamp is { Passed: true },
            ["witnessPolicyChecked"] = witnesses is { Passed: true },
        });
    }

    /// <summary>A verifier key given as the key itself or as a file holding it (the node's keys/log.vkey).</summary>
    internal static NoteVerifier ReadLogKey(string text, string option = "--log-key")
    {
        if (NoteVerifier.TryParse(text.Trim(), out var key, out var error))
        {
            return key;
        }

        if (!File.Exists(text))
        {
            throw new UsageException($"{option} \"{text}\" is neither a verifier key ({error}) nor a file");
        }

        var content = File.ReadAllText(text).Trim();
        return NoteVerifier.TryParse(content, out key, out error)
            ? key
            : throw new UsageException($"{option} {text} does not hold a verifier key: {error}");
    }

    internal static IReadOnlyList<TsaCertificate> ReadCas(IReadOnlyList<string> files)
    {
        var cas = new List<TsaCertificate>();
        foreach (var file in files)
        {
            RequireFile(file, "--tsa-ca");
            try
            {
                var read = TimestampVerifier.ReadPem(File.ReadAllText(file));
                if (read.Count == 0)
                {
                    throw new UsageException($"--tsa-ca {file} holds no PEM certificate");
                }

                cas.AddRange(read);
            }
            catch (CryptographicException e)
            {
                throw new UsageException($"--tsa-ca {file} is not PEM certificates: {e.Message}");
            }
        }

        return cas;
    }

    /// <summary>
    /// An artefact given by path, named by its file name, opened only when the verifier reads it (streamed, never
    /// buffered). The Verifier takes streams and does no file I/O of its own, so the file is opened here.
    /// </summary>
    private static ReceiptArtefact OpenLater(string path) => new(
        Path.GetFileName(path),
        _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan)));

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{what} {path}: no such file");
        }
    }

    private static async Task<byte[]> ReadSmallAsync(string path, string what)
    {
        RequireFile(path, what);
        var length = new FileInfo(path).Length;
        if (length > MaxSmallFileBytes)
        {
            throw new UsageException($"{what} {path} is {length} bytes; at most {MaxSmallFileBytes} are read");
        }

        return await File.ReadAllBytesAsync(path);
    }
}
