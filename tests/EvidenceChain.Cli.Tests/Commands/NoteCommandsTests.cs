using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary><c>note verify</c> with notes signed by fixed-seed keys, read from files and from stdin.</summary>
public sealed class NoteCommandsTests : IDisposable
{
    private const string Text = "cli.test/log\n3\nBVsGg3fbqE3mT1oVH8mnzcx5G9trPDS6YhPQi2Ni5GM=\n";

    private static readonly NoteSigner Signer = NoteSigner.FromSeed("cli.test/log", Seed(1));
    private static readonly NoteSigner Witness = NoteSigner.FromSeed("witness.test/w1", Seed(2));
    private static readonly NoteSigner Impostor = NoteSigner.FromSeed("cli.test/log", Seed(3));

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Seed(byte fill) => Enumerable.Repeat(fill, NoteSigner.SeedSize).ToArray();

    private static string Key(NoteSigner signer) => signer.VerifierKey.ToString();

    /// <summary>
    /// Changes one base64 digit inside the last signature, past the key ID and away from the padding, so the line
    /// stays well-formed but the signature is wrong.
    /// </summary>
    private static string TamperSignature(string note)
    {
        var at = note.LastIndexOf(' ') + 20;
        return note[..at] + (note[at] == 'A' ? 'B' : 'A') + note[(at + 1)..];
    }

    private string WriteNote(string note, string name = "checkpoint")
    {
        var path = _temp.Sub(name);
        File.WriteAllText(path, note);
        return path;
    }

    [Fact]
    public async Task Verify_NoteFromFile_ExitsZeroNamingSigner()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertVerified(result);
        Assert.Equal($"verified: signed by {Signer.Name}+{Signer.KeyId:x8}", result.OutLines[0]);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Verify_NoteFromStdin_ExitsZero()
    {
        var result = await Cli.RunWithInputAsync(Signer.Sign(Text), "note", "verify", "--key", Key(Signer));

        Cli.AssertVerified(result);
    }

    [Fact]
    public async Task Verify_DashReadsStdin_ExitsZero()
    {
        var result = await Cli.RunWithInputAsync(Signer.Sign(Text), "note", "verify", "--key", Key(Signer), "-");

        Cli.AssertVerified(result);
    }

    [Fact]
    public async Task Verify_UnknownKeyBesideRightKey_ExitsZero()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Witness), "--key", Key(Signer), file);

        Cli.AssertVerified(result);
        Assert.Equal($"verified: signed by {Signer.Name}+{Signer.KeyId:x8}", result.OutLines[0]);
    }

    [Fact]
    public async Task Verify_NoteCosignedByBothKeys_ExitsZeroNamingBoth()
    {
        var file = WriteNote(SignedNote.Sign(Text, Signer, Witness));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), "--key", Key(Witness), file);

        Cli.AssertVerified(result);
        Assert.Equal(
            $"verified: signed by {Signer.Name}+{Signer.KeyId:x8}, {Witness.Name}+{Witness.KeyId:x8}", result.OutLines[0]);
    }

    [Fact]
    public async Task Verify_SameKeyTwice_ExitsZero()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), "--key", Key(Signer), file);

        Cli.AssertVerified(result);
    }

    [Fact]
    public async Task Verify_WrongKey_ExitsOneNoKnownSignature()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Witness), file);

        Cli.AssertFailed(result, $"no signature by a known key; signed only by unknown keys \"{Signer.Name}+{Signer.KeyId:x8}\"");
    }

    [Fact]
    public async Task Verify_SameNameOtherKey_ExitsOne()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Impostor), file);

        Cli.AssertFailed(result, "no signature by a known key");
    }

    [Fact]
    public async Task Verify_TamperedText_ExitsOneSignatureDoesNotVerify()
    {
        var file = WriteNote(Signer.Sign(Text).Replace("\n3\n", "\n4\n", StringComparison.Ordinal));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertFailed(result, $"the signature by known key {Signer.Name}+{Signer.KeyId:x8} does not verify");
    }

    [Fact]
    public async Task Verify_TamperedSignature_ExitsOne()
    {
        var result = await Cli.RunWithInputAsync(TamperSignature(Signer.Sign(Text)), "note", "verify", "--key", Key(Signer));

        Cli.AssertFailed(result, "does not verify");
    }

    [Fact]
    public async Task Verify_GoodSignatureBesideBadCopy_ExitsOne()
    {
        var note = Signer.Sign(Text);
        var badCopy = TamperSignature(note)[(note.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..];

        var result = await Cli.RunWithInputAsync(note + badCopy, "note", "verify", "--key", Key(Signer));

        Cli.AssertFailed(result, "does not verify");
    }

    [Theory]
    [InlineData("cli.test/log\n3\n— cli.test/log AAAA\n", "no blank line separates the text from the signatures")]
    [InlineData("garbage", "no blank line separates the text from the signatures")]
    [InlineData("cli.test/log\n\n", "no signature lines follow the last blank line")]
    [InlineData("cli.test/log\n\nnot a signature\n", "signature line 1")]
    public async Task Verify_MalformedNote_ExitsTwoNotASignedNote(string note, string reason)
    {
        var file = WriteNote(note);

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertUsage(result, $"not a signed note: {reason}");
    }

    [Fact]
    public async Task Verify_SignatureWithoutFinalNewline_ExitsTwo()
    {
        var result = await Cli.RunWithInputAsync(Signer.Sign(Text).TrimEnd('\n'), "note", "verify", "--key", Key(Signer));

        Cli.AssertUsage(result, "not a signed note: the last signature line does not end with a newline");
    }

    [Fact]
    public async Task Verify_CrLfLineEnds_ExitsTwo()
    {
        var file = WriteNote(Signer.Sign(Text).Replace("\n", "\r\n", StringComparison.Ordinal));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertUsage(result, "not a signed note: ");
    }

    [Fact]
    public async Task Verify_FileNotUtf8_ExitsTwo()
    {
        var file = _temp.Sub("latin1");
        File.WriteAllBytes(file, [.. System.Text.Encoding.UTF8.GetBytes(Signer.Sign(Text)), 0xE9, 0x0A]);

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertUsage(result, $"{file} is not UTF-8 text");
    }

    [Fact]
    public async Task Verify_FileOverOneMebibyte_ExitsTwo()
    {
        var file = _temp.Sub("huge");
        File.WriteAllText(file, new string('a', (1 << 20) + 1));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertUsage(result, $"{file} is {(1 << 20) + 1} bytes; a note is at most {1 << 20}");
    }

    [Fact]
    public async Task Verify_StdinOverOneMebibyte_ExitsTwo()
    {
        var result = await Cli.RunWithInputAsync(new string('a', (1 << 20) + 1), "note", "verify", "--key", Key(Signer));

        Cli.AssertUsage(result, "the note on stdin is larger than 1048576 bytes");
    }

    [Fact]
    public async Task Verify_MissingFile_ExitsTwoNamingIt()
    {
        var missing = _temp.Sub("no-such-checkpoint");

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), missing);

        Cli.AssertUsage(result, $"{missing}: no such file");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public async Task Verify_FileNameNotAPath_ExitsTwo(string file)
    {
        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertUsage(result, $"\"{file}\" is not a file name");
    }

    [Fact]
    public async Task Verify_EmptyFile_ExitsTwo()
    {
        var file = WriteNote(string.Empty);

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertUsage(result, "the note is empty");
    }

    [Fact]
    public async Task Verify_EmptyStdin_ExitsTwo()
    {
        var result = await Cli.RunWithInputAsync(string.Empty, "note", "verify", "--key", Key(Signer));

        Cli.AssertUsage(result, "the note is empty");
    }

    [Fact]
    public async Task Verify_NoKey_ExitsTwo()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", file);

        Cli.AssertUsage(result, "--key is required");
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("")]
    [InlineData("cli.test/log+00000000+AQ==")]
    public async Task Verify_MalformedKey_ExitsTwoQuotingIt(string key)
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), "--key", key, file);

        Cli.AssertUsage(result, $"--key \"{key}\" is not a verifier key");
    }

    [Fact]
    public async Task Verify_KeyWithWrongKeyId_ExitsTwo()
    {
        var key = Key(Signer);
        var plus = key.IndexOf('+', StringComparison.Ordinal);
        var wrongId = key[..(plus + 1)] + (key[plus + 1] == '0' ? '1' : '0') + key[(plus + 2)..];
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", wrongId, file);

        Cli.AssertUsage(result, "does not match the name and key");
    }

    [Fact]
    public async Task Verify_TwoNoteFiles_ExitsTwo()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file, file);

        Cli.AssertUsage(result, $"unexpected argument \"{file}\"");
    }

    [Fact]
    public async Task Verify_UnknownOption_ExitsTwo()
    {
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), "--origin", "x", file);

        Cli.AssertUsage(result, "unknown option --origin");
    }

    [Fact]
    public async Task Verify_TwoKeysSharingNameAndKeyId_ExitsTwo()
    {
        // Key IDs are 32 bits, so two keys with one name and one ID turn up after about 2^16 tries (birthday bound).
        var (first, second) = CollidingKeys("cli.test/log");
        Assert.Equal(first.KeyId, second.KeyId);
        Assert.NotEqual(first, second);
        var file = WriteNote(Signer.Sign(Text));

        var result = await Cli.RunAsync("note", "verify", "--key", first.ToString(), "--key", second.ToString(), file);

        Cli.AssertUsage(result, $"share the name and key ID {first.Name}+{first.KeyId:x8}");
    }

    [Fact]
    public async Task Verify_CheckpointWithWitnessCosignatures_VerifiedUnderTheLogKeyAlone()
    {
        // A cosigned checkpoint as the node serves it and puts in receipts: the log's note with C2SP tlog-cosignature
        // lines (key type 0x04) appended; the signed-note spec says lines of unknown keys are ignored.
        var w1 = WitnessSigner.FromSeed("witness.test/w1", Seed(4));
        var w2 = WitnessSigner.FromSeed("witness.test/w2", Seed(5));
        var cosigned = Signer.Sign(Text) + Cosignature.Sign(w1, 1_700_000_000, Text) + Cosignature.Sign(w2, 1_700_000_001, Text);
        var file = WriteNote(cosigned);

        var result = await Cli.RunAsync("note", "verify", "--key", Key(Signer), file);

        Cli.AssertVerified(result);
        Assert.Equal($"verified: signed by {Signer.Name}+{Signer.KeyId:x8}", result.OutLines[0]);

        // And a changed cosignature is no concern of the log key's verification either (the verifier's witnesses step checks it).
        var tampered = await Cli.RunAsync("note", "verify", "--key", Key(Signer), WriteNote(TamperSignature(cosigned), "tampered"));
        Cli.AssertVerified(tampered);
    }

    /// <summary>Two different verifier keys named <paramref name="name"/> with the same key ID, found deterministically.</summary>
    private static (NoteVerifier First, NoteVerifier Second) CollidingKeys(string name)
    {
        var seen = new Dictionary<uint, NoteVerifier>();
        var key = new byte[NoteVerifier.PublicKeySize];
        for (var i = 0; ; i++)
        {
            BitConverter.TryWriteBytes(key, i);
            var verifier = NoteVerifier.FromPublicKey(name, key);
            if (seen.TryGetValue(verifier.KeyId, out var earlier))
            {
                return (earlier, verifier);
            }

            seen[verifier.KeyId] = verifier;
        }
    }
}
