using System.Text;
using EvidenceChain.Core.Notes;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class CheckpointNoteTests
{
    private static readonly NoteSigner Log = SignedNoteTests.Key("example.com/log", 7);
    private static readonly Checkpoint Body = new("example.com/log", 42, Checkpoint.Parse("o\n0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n").Root);

    [Fact]
    public void Open_SignedCheckpoint_ReturnsIt()
    {
        var note = CheckpointNote.Sign(Body, Log);

        var result = CheckpointNote.Open(note, Log.VerifierKey);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(CheckpointFailure.None, result.Failure);
        Assert.Equal(Body, result.Checkpoint);
        Assert.Equal(Body.ToNoteText(), result.Note.Text);
    }

    [Fact]
    public void Open_Bytes_SameAsString()
    {
        var note = Encoding.UTF8.GetBytes(CheckpointNote.Sign(Body, Log));

        Assert.Equal(Body, CheckpointNote.Open(note, Log.VerifierKey).Checkpoint);
    }

    [Fact]
    public void Open_WitnessCosigned_IgnoresCosignatureButReportsIt()
    {
        var witness = SignedNoteTests.Key("witness.example/w", 8);
        var note = SignedNote.Sign(Body.ToNoteText(), Log, witness);

        var result = CheckpointNote.Open(note, Log.VerifierKey);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("witness.example/w", Assert.Single(result.Note.UnknownSignatures).Name);
    }

    [Fact]
    public void Open_SpecExampleWithUnpublishedKey_NoVerifiedSignature()
    {
        const string note = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
            + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

        var result = CheckpointNote.Open(note, Log.VerifierKey);

        Assert.Equal(CheckpointFailure.NoVerifiedSignature, result.Failure);
        Assert.Null(result.Checkpoint);
        Assert.Contains("example.com/log+", result.Message);
        Assert.Equal(0x033de0aeu, Assert.Single(result.Note.UnknownSignatures).KeyId);
    }

    [Fact]
    public void Open_WrongKey_NoVerifiedSignature()
    {
        var other = SignedNoteTests.Key("example.com/log", 9);

        var result = CheckpointNote.Open(CheckpointNote.Sign(Body, Log), other.VerifierKey);

        Assert.Equal(CheckpointFailure.NoVerifiedSignature, result.Failure);
    }

    [Fact]
    public void Open_TamperedSize_InvalidSignature()
    {
        var note = CheckpointNote.Sign(Body, Log).Replace("\n42\n", "\n43\n", StringComparison.Ordinal);

        var result = CheckpointNote.Open(note, Log.VerifierKey);

        Assert.Equal(CheckpointFailure.InvalidSignature, result.Failure);
        Assert.Null(result.Checkpoint);
    }

    [Fact]
    public void Open_NotANote_Malformed()
    {
        Assert.Equal(CheckpointFailure.Malformed, CheckpointNote.Open(Body.ToNoteText(), Log.VerifierKey).Failure);
    }

    [Fact]
    public void Open_TooManySignatures_TooManySignatures()
    {
        var note = CheckpointNote.Sign(Body, Log)
            + string.Concat(Enumerable.Range(0, SignedNote.MaxSignatures).Select(i => $"\u2014 w{i} {Convert.ToBase64String(new byte[68])}\n"));

        Assert.Equal(CheckpointFailure.TooManySignatures, CheckpointNote.Open(note, Log.VerifierKey).Failure);
    }

    [Fact]
    public void Open_SignedTextNotACheckpoint_BadCheckpointBody()
    {
        var result = CheckpointNote.Open(Log.Sign("example.com/log\n042\nroot\n"), Log.VerifierKey);

        Assert.Equal(CheckpointFailure.BadCheckpointBody, result.Failure);
        Assert.Contains("leading zero", result.Message);
    }

    [Fact]
    public void Open_OriginDiffersFromKeyName_OriginMismatch()
    {
        var elsewhere = new Checkpoint("example.com/other-log", Body.Size, Body.Root);

        var result = CheckpointNote.Open(Log.Sign(elsewhere.ToNoteText()), Log.VerifierKey);

        Assert.Equal(CheckpointFailure.OriginMismatch, result.Failure);
        Assert.Null(result.Checkpoint);
    }

    [Fact]
    public void Sign_OriginDiffersFromKeyName_ThrowsArgumentException()
    {
        var elsewhere = new Checkpoint("example.com/other-log", Body.Size, Body.Root);

        Assert.Throws<ArgumentException>(() => CheckpointNote.Sign(elsewhere, Log));
    }

    [Property(MaxTest = 300)]
    public void Open_ArbitraryString_NeverThrows(string? note)
    {
        var result = CheckpointNote.Open(note ?? string.Empty, Log.VerifierKey);

        Assert.False(result.IsValid);
        Assert.NotNull(result.Message);
    }
}
