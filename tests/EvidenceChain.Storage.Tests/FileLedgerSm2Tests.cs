using System.Text;
using EvidenceChain.Ledger;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Storage.Tests;

/// <summary>The national crypto profile on a real data folder: SM2 key files and the SM2 checkpoint line.</summary>
public sealed class FileLedgerSm2Tests
{
    private const string Origin = "sm2.test/log";
    private static readonly LedgerOptions Options = new() { MaxBatchSize = 5, MaxBatchDelay = TimeSpan.Zero };

    private static Task<FileLedger> Open(string path, bool nationalCrypto) =>
        FileLedger.OpenAsync(path, Origin, nationalCrypto, Options, TimeProvider.System, NullLoggerFactory.Instance);

    private static string KeyFile(string path, string name) => Path.Combine(path, "keys", name);

    private static NoteVerifier ReadKey(string path, string name) =>
        NoteVerifier.Parse(File.ReadAllText(KeyFile(path, name)).TrimEnd('\n'));

    private static async Task<AuditReport> AuditAsync(string path)
    {
        using var folder = DataFolder.Open(path, create: false);
        return await LedgerAuditor.RunAsync(folder, pinnedKey: null);
    }

    [Fact]
    public async Task Open_NationalCrypto_WritesSm2KeyFiles()
    {
        using var temp = new TempFolder();
        await using var ledger = await Open(temp.Path, nationalCrypto: true);

        var vkey = ReadKey(temp.Path, LogKeyFiles.Sm2VerifierKeyFile);
        var signer = LogKeyFiles.Load(KeyFile(temp.Path, LogKeyFiles.Sm2PrivateKeyFile));
        Assert.Equal(NoteKeyType.Sm2, vkey.Type);
        Assert.Equal(Origin, vkey.Name);
        Assert.Equal(vkey, ledger.Sm2VerifierKey);
        Assert.Equal(vkey, signer.VerifierKey);
        Assert.Equal(vkey.ExportSubjectPublicKeyInfoPem(), File.ReadAllText(KeyFile(temp.Path, LogKeyFiles.Sm2PublicKeyPemFile)));
        Assert.NotEqual(ReadKey(temp.Path, LogKeyFiles.VerifierKeyFile).KeyId, vkey.KeyId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(LogKeyFiles.SecretMode, File.GetUnixFileMode(KeyFile(temp.Path, LogKeyFiles.Sm2PrivateKeyFile)));
            Assert.True(File.GetUnixFileMode(KeyFile(temp.Path, LogKeyFiles.Sm2PublicKeyPemFile)).HasFlag(UnixFileMode.OtherRead));
        }
    }

    [Fact]
    public async Task Open_WithoutProfile_WritesNoSm2Files()
    {
        using var temp = new TempFolder();
        await using var ledger = await Open(temp.Path, nationalCrypto: false);

        Assert.Null(ledger.Sm2VerifierKey);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Path, "keys"), "log-sm2*"));
    }

    [Fact]
    public async Task PublishedCheckpoint_Sm2Line_VerifiesWithOpenSslAndTheKeysPemFile()
    {
        using var temp = new TempFolder();
        await using (var ledger = await Open(temp.Path, nationalCrypto: true))
        {
            await Task.WhenAll(Enumerable.Range(0, 12).Select(n => ledger.Ledger.AppendAsync(Drafts.File(n))));
        }

        var note = await File.ReadAllTextAsync(Path.Combine(temp.Path, "log", "checkpoint"));
        var sm2 = ReadKey(temp.Path, LogKeyFiles.Sm2VerifierKeyFile);
        var (text, signature) = Sm2OpenSsl.Extract(note, sm2);
        File.WriteAllBytes(Path.Combine(temp.Path, "msg"), text);
        File.WriteAllBytes(Path.Combine(temp.Path, "sig"), signature);
        var flipped = (byte[])signature.Clone();
        flipped[10] ^= 0x40;
        File.WriteAllBytes(Path.Combine(temp.Path, "sig.bad"), flipped);

        string[] Verify(string sig) =>
        [
            "pkeyutl", "-verify", "-pubin", "-inkey", KeyFile(temp.Path, LogKeyFiles.Sm2PublicKeyPemFile), "-rawin", "-digest", "sm3",
            "-in", Path.Combine(temp.Path, "msg"), "-sigfile", Path.Combine(temp.Path, sig), "-pkeyopt", "distid:" + Sm2OpenSsl.DistId,
        ];

        var good = Sm2OpenSsl.Run(Verify("sig"));
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.NotEqual(0, Sm2OpenSsl.Run(Verify("sig.bad")).ExitCode);
        Assert.Equal(12UL, CheckpointNote.Open(note, [ReadKey(temp.Path, LogKeyFiles.VerifierKeyFile), sm2]).Checkpoint!.Size);
    }

    [Fact]
    public async Task Open_ProfileToggled_ReopensAuditsCleanAndOnlyProfileCheckpointsHaveTheSm2Line()
    {
        using var temp = new TempFolder();
        foreach (var (on, n) in new[] { (false, 0), (true, 1), (true, 2), (false, 3), (true, 4) })
        {
            await using var ledger = await Open(temp.Path, on);
            await ledger.Ledger.AppendAsync(Drafts.File(n));
        }

        var report = await AuditAsync(temp.Path);
        Assert.True(report.IsClean, string.Join("\n", report.Problems));
        Assert.Equal(5UL, report.Entries);

        var logKey = ReadKey(temp.Path, LogKeyFiles.VerifierKeyFile);
        var sm2 = ReadKey(temp.Path, LogKeyFiles.Sm2VerifierKeyFile);
        var store = new FileLedgerStore(Path.Combine(temp.Path, "log"));
        var records = store.ReadRecords(out _).Select(r => r.Note).ToList();
        Assert.All(records, r => Assert.True(CheckpointNote.Open(r, logKey).IsValid));
        var sizesWithSm2 = records
            .Select(r => CheckpointNote.Open(r, sm2))
            .Where(r => r.IsValid)
            .Select(r => r.Checkpoint!.Size)
            .Distinct();
        Assert.Equal([2UL, 3UL, 5UL], sizesWithSm2); // sizes 0, 1 and 4 were signed with the profile off
    }

    [Fact]
    public async Task Audit_ChangedByteInAnSm2Line_IsAProblem()
    {
        using var temp = new TempFolder();
        await using (var ledger = await Open(temp.Path, nationalCrypto: true))
        {
            await ledger.Ledger.AppendAsync(Drafts.File(0));
        }

        var path = Path.Combine(temp.Path, "log", "checkpoint");
        var original = await File.ReadAllBytesAsync(path);
        var sm2Line = Encoding.UTF8.GetString(original).LastIndexOf('\u2014');
        var lineStart = Encoding.UTF8.GetByteCount(Encoding.UTF8.GetString(original)[..sm2Line]);
        var missed = new List<int>();
        for (var i = lineStart; i < original.Length - 1; i++)
        {
            var changed = (byte[])original.Clone();
            changed[i] = (byte)(changed[i] == (byte)'A' ? 'B' : 'A');
            await File.WriteAllBytesAsync(path, changed);
            if ((await AuditAsync(temp.Path)).IsClean)
            {
                missed.Add(i);
            }
        }

        await File.WriteAllBytesAsync(path, original);
        Assert.Empty(missed);
        Assert.True((await AuditAsync(temp.Path)).IsClean);
    }

    [Fact]
    public async Task Audit_Sm2KeyFilesTampered_AreProblems()
    {
        using var temp = new TempFolder();
        await using (var ledger = await Open(temp.Path, nationalCrypto: true))
        {
            await ledger.Ledger.AppendAsync(Drafts.File(0));
        }

        var pem = KeyFile(temp.Path, LogKeyFiles.Sm2PublicKeyPemFile);
        var text = await File.ReadAllTextAsync(pem);
        await File.WriteAllTextAsync(pem, text.Replace("PUBLIC KEY-----\n", "PUBLIC KEY-----\nAAAA\n", StringComparison.Ordinal));

        var report = await AuditAsync(temp.Path);

        Assert.Contains(report.Problems, p => p.Where.EndsWith(LogKeyFiles.Sm2PublicKeyPemFile, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_Sm2PrivateKeyMissingButVerifierKeyThere_Refuses()
    {
        using var temp = new TempFolder();
        await using (var ledger = await Open(temp.Path, nationalCrypto: true))
        {
        }

        File.Delete(KeyFile(temp.Path, LogKeyFiles.Sm2PrivateKeyFile));

        await Assert.ThrowsAsync<InvalidDataException>(() => Open(temp.Path, nationalCrypto: true));
        await using var plain = await Open(temp.Path, nationalCrypto: false);
    }
}
