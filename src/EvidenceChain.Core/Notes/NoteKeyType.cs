namespace EvidenceChain.Core.Notes;

/// <summary>
/// The signature algorithm of a signed-note key, which fixes its signature type bytes (the prefix of its key data
/// and of its key ID input). See docs/formats.md §5 and §6a.
/// </summary>
public enum NoteKeyType
{
    /// <summary>
    /// Ed25519 (RFC 8032), type byte <c>0x01</c> of c2sp.org/signed-note: 32-byte keys, 64-byte signatures. The
    /// checkpoint key of every log.
    /// </summary>
    Ed25519 = 1,

    /// <summary>
    /// SM2 with SM3 (GM/T 0003.2, user ID <c>1234567812345678</c>), type bytes <c>0xff || "evidencechain/sm2-sm3/v1"</c>
    /// (signed-note reserves 0xff for types it does not assign): a 65-byte uncompressed public key, a 32-byte private
    /// key, DER signatures of at most 72 bytes. The extra checkpoint key of the national crypto profile.
    /// </summary>
    Sm2 = 2,
}
