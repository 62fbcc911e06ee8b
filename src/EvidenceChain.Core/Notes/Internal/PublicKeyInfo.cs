using System.Formats.Asn1;
using System.Security.Cryptography;

namespace EvidenceChain.Core.Notes.Internal;

/// <summary>
/// X.509 SubjectPublicKeyInfo (RFC 5280 §4.1) for note keys, the form <c>openssl pkey -pubin</c> and
/// <c>openssl pkeyutl -pubin</c> read.
/// </summary>
internal static class PublicKeyInfo
{
    /// <summary>id-Ed25519, RFC 8410.</summary>
    private const string Ed25519Oid = "1.3.101.112";

    /// <summary>id-ecPublicKey, RFC 5480.</summary>
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>The named curve sm2p256v1 (GM/T 0006); openssl 3 treats an EC key on it as an SM2 key.</summary>
    private const string Sm2CurveOid = "1.2.156.10197.1.301";

    /// <summary>DER SubjectPublicKeyInfo for a key of <paramref name="type"/> in its note encoding.</summary>
    public static byte[] Encode(NoteKeyType type, ReadOnlySpan<byte> publicKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                if (type == NoteKeyType.Sm2)
                {
                    writer.WriteObjectIdentifier(EcPublicKeyOid);
                    writer.WriteObjectIdentifier(Sm2CurveOid);
                }
                else
                {
                    writer.WriteObjectIdentifier(Ed25519Oid);
                }
            }

            writer.WriteBitString(publicKey);
        }

        return writer.Encode();
    }

    /// <summary>The PEM form (label <c>PUBLIC KEY</c>), ending in a newline.</summary>
    public static string EncodePem(NoteKeyType type, ReadOnlySpan<byte> publicKey) =>
        new string(PemEncoding.Write("PUBLIC KEY", Encode(type, publicKey))) + "\n";
}
