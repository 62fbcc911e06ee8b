using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Tests.Receipts;

/// <summary>The SM2 checkpoint check that evidencectl verify --sm2-key adds to a receipt's verification.</summary>
public sealed class CheckpointChecksTests
{
    private const string Origin = "example.org/sm2-log";
    private static readonly NoteSigner Ed25519 = NoteSigner.FromSeed(Origin, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly NoteSigner Sm2 = NoteSigner.FromSm2PrivateKey(Origin, Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private static readonly Checkpoint Checkpoint = new(Origin, 3, Rfc6962.HashLeaf([1, 2, 3]), []);

    [Fact]
    public void Sm2Signature_BothLines_Passes()
    {
        var note = CheckpointNote.Sign(Checkpoint, Ed25519, Sm2);

        var step = CheckpointChecks.Sm2Signature(Sm2.VerifierKey)(note);

        Assert.True(step.Passed, step.Detail);
        Assert.Equal("SM2 checkpoint signature", step.Name);
    }

    [Fact]
    public void Sm2Signature_OnlyTheEd25519Line_Fails()
    {
        var note = CheckpointNote.Sign(Checkpoint, Ed25519);

        var step = CheckpointChecks.Sm2Signature(Sm2.VerifierKey)(note);

        Assert.False(step.Passed);
    }

    [Fact]
    public void Sm2Signature_ChangedSignatureByte_Fails()
    {
        var note = CheckpointNote.Sign(Checkpoint, Ed25519, Sm2);
        var lines = note.Split('\n');
        var sm2Line = Array.FindLastIndex(lines, l => l.StartsWith("— ", StringComparison.Ordinal)); // signed in order: Ed25519, then SM2
        Assert.True(sm2Line > 0 && CheckpointNote.Open(note, Ed25519.VerifierKey).IsValid);
        var chars = lines[sm2Line].ToCharArray();
        chars[^5] = chars[^5] == 'A' ? 'B' : 'A';
        lines[sm2Line] = new string(chars);

        var tampered = string.Join('\n', lines);

        Assert.False(CheckpointChecks.Sm2Signature(Sm2.VerifierKey)(tampered).Passed);
        Assert.True(CheckpointNote.Open(tampered, Ed25519.VerifierKey).IsValid); // only the SM2 line changed
    }

    [Fact]
    public void Sm2Signature_Ed25519Key_Refused() =>
        Assert.Throws<ArgumentException>(() => CheckpointChecks.Sm2Signature(Ed25519.VerifierKey));
}
