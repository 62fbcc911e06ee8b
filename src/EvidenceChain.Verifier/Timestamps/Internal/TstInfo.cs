using System.Formats.Asn1;
using System.Numerics;

namespace EvidenceChain.Verifier.Timestamps.Internal;

/// <summary>What a TSTInfo asserts (RFC 3161 §2.4.2), read strictly as DER: a signature covers these exact bytes.</summary>
internal sealed record TstInfo(
    string Policy,
    string HashOid,
    byte[] MessageHash,
    byte[] SerialNumber,
    DateTimeOffset GenTime,
    long? AccuracyMicroseconds,
    byte[]? Nonce)
{
    private static readonly Asn1Tag Millis = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag Micros = new(TagClass.ContextSpecific, 1);

    /// <summary>
    /// Reads TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy, messageImprint, serialNumber INTEGER,
    /// genTime GeneralizedTime, accuracy Accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL,
    /// tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT Extensions OPTIONAL }.
    /// </summary>
    /// <exception cref="AsnContentException">The bytes are not one DER TSTInfo.</exception>
    public static TstInfo Read(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var info = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (!info.TryReadInt32(out var version) || version != 1)
        {
            throw new AsnContentException("the TSTInfo version is not 1");
        }

        var policy = info.ReadObjectIdentifier();
        var imprint = info.ReadSequence();
        var algorithm = imprint.ReadSequence();
        var hashOid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadNull(); // parameters: absent or NULL for the SHA-2 family
        }

        algorithm.ThrowIfNotEmpty();
        var messageHash = imprint.ReadOctetString();
        imprint.ThrowIfNotEmpty();
        var serial = info.ReadIntegerBytes().ToArray();
        var genTime = info.ReadGeneralizedTime();
        long? accuracy = null;
        if (info.HasData && info.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            accuracy = ReadAccuracy(info.ReadSequence());
        }

        if (info.HasData && info.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
        {
            info.ReadBoolean();
        }

        byte[]? nonce = null;
        if (info.HasData && info.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            nonce = info.ReadIntegerBytes().ToArray();
        }

        if (info.HasData && info.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            info.ReadEncodedValue(); // tsa: a hint only (RFC 3161); the signer's certificate names the TSA
        }

        if (info.HasData && info.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
        {
            info.ReadEncodedValue();
        }

        info.ThrowIfNotEmpty();
        return new TstInfo(policy, hashOid, messageHash, serial, genTime.ToUniversalTime(), accuracy, nonce);
    }

    /// <summary>Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL, micros [1] INTEGER (1..999) OPTIONAL }.</summary>
    private static long ReadAccuracy(AsnReader accuracy)
    {
        BigInteger seconds = 0, millis = 0, micros = 0;
        if (accuracy.HasData && accuracy.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            seconds = accuracy.ReadInteger();
        }

        if (accuracy.HasData && accuracy.PeekTag().HasSameClassAndValue(Millis))
        {
            millis = accuracy.ReadInteger(Millis);
        }

        if (accuracy.HasData && accuracy.PeekTag().HasSameClassAndValue(Micros))
        {
            micros = accuracy.ReadInteger(Micros);
        }

        accuracy.ThrowIfNotEmpty();
        if (seconds < 0 || seconds > 1_000_000_000 || millis < 0 || millis > 999 || micros < 0 || micros > 999)
        {
            throw new AsnContentException("the TSTInfo accuracy is out of range");
        }

        return ((long)seconds * 1_000_000) + ((long)millis * 1000) + (long)micros;
    }
}
