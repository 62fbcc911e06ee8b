using System.Security.Cryptography;
using EvidenceChain.Ledger.Timestamping.Internal;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace EvidenceChain.Ledger.Timestamping;

/// <summary>
/// The node's built-in RFC 3161 time-stamping authority. Tokens are CMS SignedData signed with ECDSA P-256 and
/// SHA-256, carry ESS signing-certificate-v2 (the signer certificate's SHA-256), the policy <see cref="PolicyOid"/>,
/// a serial number that never repeats, genTime to the millisecond and the configured accuracy; the signer
/// certificate is included when the request asks for it.
/// </summary>
/// <remarks>
/// Thread-safe. genTime is the node's clock: the stated accuracy is only as good as the host's time synchronisation.
/// Requests may use SHA-256, SHA-384, SHA-512 or SM3 message imprints; others are rejected with badAlg.
/// </remarks>
public sealed class TimeStampAuthority : ITimestampSource
{
    /// <summary>
    /// The TSA policy: "tokens from an EvidenceChain node's built-in TSA, genTime from the node's clock". A UUID OID
    /// (ITU-T X.667, arc 2.25), so it needs no registration.
    /// </summary>
    public const string PolicyOid = "2.25.206451796066472297028208634299166043406";

    private static readonly string[] AcceptedAlgorithms = [TspAlgorithms.Sha256, TspAlgorithms.Sha384, TspAlgorithms.Sha512, TspAlgorithms.SM3];

    private readonly ITsaSerialNumbers _serials;
    private readonly TimeProvider _time;
    private readonly TimeStampTokenGenerator _tokens;
    private readonly Lock _lock = new();

    /// <summary>Creates the TSA over its credentials.</summary>
    /// <param name="credentials">The signing certificate with its key, and its CA. The caller disposes them after the TSA.</param>
    /// <param name="serials">Where serial numbers come from.</param>
    /// <param name="time">The clock for genTime.</param>
    /// <param name="accuracy">The accuracy stated in tokens: at least 1 ms, at most 1 hour.</param>
    public TimeStampAuthority(TsaCredentials credentials, ITsaSerialNumbers serials, TimeProvider time, TimeSpan accuracy)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(serials);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(accuracy, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(accuracy, TimeSpan.FromHours(1));
        _serials = serials;
        _time = time;
        Credentials = credentials;

        var certificate = DotNetUtilities.FromX509Certificate(credentials.Certificate);
        var signer = new SignerInfoGeneratorBuilder().Build(new EcdsaSignatureFactory(credentials.SigningKey), certificate);
        var tokens = new TimeStampTokenGenerator(
            signer, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new DerObjectIdentifier(PolicyOid), isIssuerSerialIncluded: true)
        {
            Resolution = Resolution.R_MILLISECONDS,
        };
        tokens.SetCertificates(CollectionUtilities.CreateStore([certificate]));
        tokens.SetTsa(new GeneralName(certificate.SubjectDN));
        var whole = (int)Math.Floor(accuracy.TotalSeconds);
        if (whole > 0)
        {
            tokens.SetAccuracySeconds(whole);
        }

        if (accuracy.Milliseconds > 0)
        {
            tokens.SetAccuracyMillis(accuracy.Milliseconds);
        }

        _tokens = tokens;
    }

    /// <summary>The signing certificate and its CA.</summary>
    public TsaCredentials Credentials { get; }

    /// <inheritdoc/>
    public string Name => "built-in TSA";

    /// <summary>
    /// Answers a DER TimeStampReq with a DER TimeStampResp. A request that cannot be granted (malformed, an
    /// unsupported hash algorithm, an unknown policy) gets a rejection response that says why, never an exception.
    /// </summary>
    public byte[] Respond(ReadOnlySpan<byte> request)
    {
        TimeStampRequest parsed;
        try
        {
            parsed = new TimeStampRequest(request.ToArray());
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or Asn1Exception)
        {
            return NewResponseGenerator().GenerateFailResponse(PkiStatus.Rejection, PkiFailureInfo.BadDataFormat, "not a DER TimeStampReq").GetEncoded();
        }

        return Respond(parsed).GetEncoded();
    }

    /// <inheritdoc/>
    public Task<byte[]> TimestampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var request = new TimeStampRequestGenerator();
        request.SetCertReq(true);
        var response = Respond(request.Generate(TspAlgorithms.Sha256, SHA256.HashData(data.Span)));
        return response.Status == (int)PkiStatus.Granted
            ? Task.FromResult(response.GetEncoded())
            : Task.FromException<byte[]>(new TimestampException($"The built-in TSA refused: {response.GetStatusString()}"));
    }

    private TimeStampResponse Respond(TimeStampRequest request)
    {
        var serial = _serials.Allocate();
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, serial);
        lock (_lock)
        {
            return NewResponseGenerator().Generate(request, new BigInteger(1, bytes), _time.GetUtcNow().UtcDateTime);
        }
    }

    // One per response: BouncyCastle's generator keeps the status text of earlier responses and would repeat a
    // rejection's reason in the next granted response. A request naming another policy is rejected
    // (unacceptedPolicy) rather than granted under ours, and one carrying any extension is rejected
    // (unacceptedExtension): the TSA never signs statements a client chose.
    private TimeStampResponseGenerator NewResponseGenerator() => new(_tokens, AcceptedAlgorithms, [PolicyOid], []);
}
