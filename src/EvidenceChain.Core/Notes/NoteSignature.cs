using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>One signature line of a signed note: the key name, the key ID and the base64 signature field.</summary>
/// <remarks>Immutable and thread-safe. Created only by <see cref="SignedNote.Open(string, IReadOnlyCollection{NoteVerifier})"/>.</remarks>
public sealed class NoteSignature
{
    internal NoteSignature(string name, uint keyId, string base64)
    {
        Name = name;
        KeyId = keyId;
        Base64 = base64;
    }

    /// <summary>The key name on the signature line.</summary>
    public string Name { get; }

    /// <summary>The key ID: the first four bytes of the decoded signature field, big-endian.</summary>
    public uint KeyId { get; }

    /// <summary>The signature field as written: base64(key ID || signature).</summary>
    public string Base64 { get; }

    /// <summary>The key as <c>name+hex8</c>.</summary>
    public override string ToString() => $"{Name}+{NoteSyntax.FormatKeyId(KeyId)}";
}
