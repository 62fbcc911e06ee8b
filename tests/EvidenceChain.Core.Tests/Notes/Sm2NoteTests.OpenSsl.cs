using System.Text;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;

namespace EvidenceChain.Core.Tests.Notes;

/// <summary>Our SM2 lines against OpenSSL 3 (<c>openssl pkeyutl ... -pkeyopt distid:1234567812345678</c>), both ways.</summary>
public sealed partial class Sm2NoteTests
{
    [Fact]
    public void OpenSsl_VerifiesOurSignature_AndRejectsAFlippedByte()
    {
        using var folder = new TempFolder();
        var signer = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey);
        var (text, signature) = Sm2OpenSsl.Extract(SignedNote.Sign(Text, signer), signer.VerifierKey);

        var good = Sm2OpenSsl.Verify(folder, signer.VerifierKey, text, signature);
        var flippedSignature = (byte[])signature.Clone();
        flippedSignature[^1] ^= 1;
        var flippedText = (byte[])text.Clone();
        flippedText[^2] ^= 1;

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("Signature Verified Successfully", good.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, Sm2OpenSsl.Verify(folder, signer.VerifierKey, text, flippedSignature).ExitCode);
        Assert.NotEqual(0, Sm2OpenSsl.Verify(folder, signer.VerifierKey, flippedText, signature).ExitCode);
    }

    [Fact]
    public void OpenSsl_SignatureWithAnotherUserId_DoesNotVerify()
    {
        using var folder = new TempFolder();
        var signer = NoteSigner.FromSm2PrivateKey(Name, TestPrivateKey);
        var (text, signature) = Sm2OpenSsl.Extract(SignedNote.Sign(Text, signer), signer.VerifierKey);
        File.WriteAllBytes(folder.Sub("msg"), text);
        File.WriteAllBytes(folder.Sub("sig"), signature);
        File.WriteAllText(folder.Sub("pub.pem"), signer.VerifierKey.ExportSubjectPublicKeyInfoPem());

        var (exitCode, _) = Sm2OpenSsl.Run(
            "pkeyutl", "-verify", "-pubin", "-inkey", folder.Sub("pub.pem"), "-rawin", "-digest", "sm3",
            "-in", folder.Sub("msg"), "-sigfile", folder.Sub("sig"), "-pkeyopt", "distid:8765432187654321");

        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public void OpenSsl_KeyItMade_HasOurPublicKeyAndPem_AndItsSignaturesOpenWithOurVerifier()
    {
        using var folder = new TempFolder();
        var keyPem = folder.Sub("key.pem");
        Assert.Equal(0, Sm2OpenSsl.Run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", keyPem).ExitCode);
        var (_, dump) = Sm2OpenSsl.Run("pkey", "-in", keyPem, "-text", "-noout");
        var (_, opensslPem) = Sm2OpenSsl.Run("pkey", "-in", keyPem, "-pubout");
        var signer = NoteSigner.FromSm2PrivateKey(Name, HexBlock(dump, "priv:", 32));

        Assert.Equal(HexBlock(dump, "pub:", 65), signer.VerifierKey.PublicKey.ToArray());
        Assert.Equal(opensslPem, signer.VerifierKey.ExportSubjectPublicKeyInfoPem());

        File.WriteAllText(folder.Sub("msg"), Text, new UTF8Encoding(false));
        var sign = Sm2OpenSsl.Run(
            "pkeyutl", "-sign", "-inkey", keyPem, "-rawin", "-digest", "sm3", "-in", folder.Sub("msg"),
            "-out", folder.Sub("sig"), "-pkeyopt", "distid:" + Sm2OpenSsl.DistId);
        Assert.True(sign.ExitCode == 0, sign.Output);
        byte[] field = [.. BitConverter.GetBytes(signer.KeyId).Reverse(), .. File.ReadAllBytes(folder.Sub("sig"))];
        var note = $"{Text}\n\u2014 {Name} {Convert.ToBase64String(field)}\n";

        var result = SignedNote.Open(note, [signer.VerifierKey]);

        Assert.True(result.IsValid, result.Message);
    }

    /// <summary>The colon-separated hex after <paramref name="label"/> in <c>openssl pkey -text</c>, left-padded to <paramref name="size"/>.</summary>
    private static byte[] HexBlock(string dump, string label, int size)
    {
        var lines = dump.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == label) + 1;
        var hex = new StringBuilder();
        for (var i = start; i < lines.Length && lines[i].StartsWith(' '); i++)
        {
            hex.Append(lines[i].Trim().Replace(":", string.Empty, StringComparison.Ordinal));
        }

        var bytes = Convert.FromHexString(hex.ToString());
        return bytes.Length >= size
            ? bytes[^size..]
            : [.. new byte[size - bytes.Length], .. bytes];
    }
}
