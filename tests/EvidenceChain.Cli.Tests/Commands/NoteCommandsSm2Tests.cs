using System.Globalization;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary><c>note verify</c> and <c>audit</c> with the national crypto profile's SM2 line (docs/formats.md §6a).</summary>
public sealed class NoteCommandsSm2Tests : IDisposable
{
    private const string Origin = "cli.test/log";
    private const string Text = "cli.test/log\n3\nBVsGg3fbqE3mT1oVH8mnzcx5G9trPDS6YhPQi2Ni5GM=\n";

    private static readonly NoteSigner Signer = NoteSigner.FromSeed(Origin, Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly NoteSigner Sm2 = NoteSigner.FromSm2PrivateKey(Origin, Enumerable.Repeat((byte)9, 32).ToArray());

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Changes one base64 digit inside the SM2 (last) line's signature, keeping the line well-formed.</summary>
    private static string TamperSm2Line(string note)
    {
        var at = note.LastIndexOf(' ') + 20;
        return note[..at] + (note[at] == 'A' ? 'B' : 'A') + note[(at + 1)..];
    }

    [Fact]
    public async Task Verify_Sm2KeyAlone_ExitsZeroNamingIt()
    {
        var result = await Cli.RunWithInputAsync(SignedNote.Sign(Text, Signer, Sm2), "note", "verify", "--key", Sm2.VerifierKey.ToString());

        Cli.AssertVerified(result);
        Assert.Equal($"verified: signed by {Origin}+{Sm2.KeyId:x8}", result.OutLines[0]);
    }

    [Fact]
    public async Task Verify_BothKeys_ExitsZeroNamingBoth()
    {
        var result = await Cli.RunWithInputAsync(
            SignedNote.Sign(Text, Signer, Sm2), "note", "verify", "--key", Signer.VerifierKey.ToString(), "--key", Sm2.VerifierKey.ToString());

        Cli.AssertVerified(result);
        Assert.Equal($"verified: signed by {Origin}+{Signer.KeyId:x8}, {Origin}+{Sm2.KeyId:x8}", result.OutLines[0]);
    }

    [Fact]
    public async Task Verify_TamperedSm2Line_FailsWithSm2Key_IgnoredWithEd25519KeyAlone()
    {
        var note = TamperSm2Line(SignedNote.Sign(Text, Signer, Sm2));

        var withSm2 = await Cli.RunWithInputAsync(
            note, "note", "verify", "--key", Signer.VerifierKey.ToString(), "--key", Sm2.VerifierKey.ToString());
        var withEd = await Cli.RunWithInputAsync(note, "note", "verify", "--key", Signer.VerifierKey.ToString());

        Cli.AssertFailed(withSm2, $"the signature by known key {Origin}+{Sm2.KeyId:x8} does not verify");
        Cli.AssertVerified(withEd);
    }

    [Fact]
    public async Task RealLedger_NoteVerifyWithKeyFiles_AndAudit_Pass()
    {
        var data = _temp.Sub("data");
        await using (var ledger = await FileLedger.OpenAsync(
            data, Origin, nationalCrypto: true, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero }, TimeProvider.System, NullLoggerFactory.Instance))
        {
            for (var n = 0; n < 3; n++)
            {
                await ledger.Ledger.AppendAsync(new EntryDraft(
                    "file", "cli-test", [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) }));
            }
        }

        string KeyText(string file) => File.ReadAllText(Path.Combine(data, "keys", file)).TrimEnd('\n');

        var verified = await Cli.RunAsync(
            "note", "verify", "--key", KeyText(LogKeyFiles.VerifierKeyFile), "--key", KeyText(LogKeyFiles.Sm2VerifierKeyFile),
            Path.Combine(data, "log", "checkpoint"));
        var audit = await Cli.RunAsync("audit", "--data", data);

        Cli.AssertVerified(verified);
        Assert.Contains(KeyText(LogKeyFiles.Sm2VerifierKeyFile).Split('+')[1], verified.OutLines[0], StringComparison.Ordinal);
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }
}
