using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;

namespace EvidenceChain.Core.Internal;

/// <summary>
/// The one place where Core calls SM2 (GM/T 0003.2-2012 signatures on curve sm2p256v1, with SM3 and the default
/// user ID <c>1234567812345678</c>); signatures are DER <c>SEQUENCE { r INTEGER, s INTEGER }</c>, the form openssl and
/// GM/T 0009 use. BouncyCastle stays behind this class so that no BouncyCastle type reaches a public signature.
/// </summary>
/// <remarks>
/// Signing is deterministic: k is drawn as in RFC 6979 §3.2 (HMAC-SM3 DRBG keyed by the private key and
/// e = SM3(Z || M)), so Core needs no random source and a key signs a message the same way every time. Verifiers
/// cannot tell and do not care: any valid k gives a valid SM2 signature. Verification is BouncyCastle's own
/// <see cref="SM2Signer"/>, so the signing code here is checked against an independent implementation (and
/// openssl, in the tests).
/// </remarks>
internal static class Sm2Kernel
{
    public const int PrivateKeySize = 32;

    /// <summary>An uncompressed SEC 1 point: 0x04 || X || Y.</summary>
    public const int PublicKeySize = 65;

    /// <summary>The longest DER signature: SEQUENCE (2) + two INTEGERs of 33 bytes (2 + 33 each).</summary>
    public const int MaxSignatureSize = 72;

    private const byte Uncompressed = 0x04;

    private static readonly ECDomainParameters Domain = new(GMNamedCurves.GetByName("sm2p256v1"));

    /// <summary>The user ID (distinguishing identifier) of GM/T 0009 §10 that openssl calls <c>distid</c>.</summary>
    public static ReadOnlySpan<byte> UserId => "1234567812345678"u8;

    /// <summary>True when <paramref name="privateKey"/> is 32 bytes, big-endian, and 1 &lt;= d &lt;= n - 2 (GM/T 0003.1 §6.1).</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeySize)
        {
            return false;
        }

        var d = new BigInteger(1, privateKey);
        return d.SignValue > 0 && d.CompareTo(Domain.N.Subtract(BigInteger.Two)) <= 0;
    }

    /// <summary>Writes the uncompressed public key of a valid private key (see <see cref="IsValidPrivateKey"/>).</summary>
    public static void DerivePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        CheckPrivateKey(privateKey);
        CheckLength(publicKey, PublicKeySize, nameof(publicKey));
        var q = new FixedPointCombMultiplier().Multiply(Domain.G, new BigInteger(1, privateKey)).Normalize();
        q.GetEncoded(false).CopyTo(publicKey);
    }

    /// <summary>True when <paramref name="publicKey"/> is an uncompressed point on the curve, other than infinity.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => TryDecodePoint(publicKey, out _);

    /// <summary>
    /// Signs <paramref name="message"/> with the private key whose public key is <paramref name="publicKey"/> and
    /// returns the DER signature (at most <see cref="MaxSignatureSize"/> bytes).
    /// </summary>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message)
    {
        CheckPrivateKey(privateKey);
        if (!TryDecodePoint(publicKey, out var q))
        {
            throw new ArgumentException("Not an SM2 public key.", nameof(publicKey));
        }

        var digest = new SM3Digest();
        var z = ComputeZ(q);
        digest.BlockUpdate(z);
        digest.BlockUpdate(message);
        var hash = new byte[digest.GetDigestSize()];
        digest.DoFinal(hash);

        var n = Domain.N;
        var e = new BigInteger(1, hash);
        var d = new BigInteger(1, privateKey);
        var k = new HMacDsaKCalculator(new SM3Digest());
        k.Init(n, d, hash);
        var multiplier = new FixedPointCombMultiplier();
        var inverse = BigIntegers.ModOddInverse(n, d.Add(BigInteger.One));

        // GM/T 0003.2 §6.1, steps A3 to A6; a k that gives r = 0, r + k = n or s = 0 is skipped for the next one.
        while (true)
        {
            var candidate = k.NextK();
            var x1 = multiplier.Multiply(Domain.G, candidate).Normalize().AffineXCoord.ToBigInteger();
            var r = e.Add(x1).Mod(n);
            if (r.SignValue == 0 || r.Add(candidate).Equals(n))
            {
                continue;
            }

            var s = inverse.Multiply(candidate.Subtract(r.Multiply(d))).Mod(n);
            if (s.SignValue != 0)
            {
                return StandardDsaEncoding.Instance.Encode(n, r, s);
            }
        }
    }

    /// <summary>
    /// Checks a DER signature over <paramref name="message"/>. False for an invalid key, a signature that is not
    /// strict DER of two integers in [1, n - 1], or a bad signature; never throws.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.IsEmpty || signature.Length > MaxSignatureSize || !TryDecodePoint(publicKey, out var q))
        {
            return false;
        }

        // BouncyCastle's DSA encoding re-encodes (r, s) and compares, so BER variants and trailing bytes fail.
        var verifier = new SM2Signer();
        verifier.Init(false, new ParametersWithID(new ECPublicKeyParameters(q, Domain), UserId.ToArray()));
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature.ToArray());
    }

    private static bool TryDecodePoint(ReadOnlySpan<byte> publicKey, out ECPoint point)
    {
        point = Domain.Curve.Infinity;
        if (publicKey.Length != PublicKeySize || publicKey[0] != Uncompressed)
        {
            return false;
        }

        try
        {
            point = Domain.Curve.DecodePoint(publicKey.ToArray());
        }
        catch (ArgumentException)
        {
            // Not on the curve.
            return false;
        }

        return !point.IsInfinity && point.IsValid();
    }

    /// <summary>Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), GM/T 0003.2 §5.5.</summary>
    private static byte[] ComputeZ(ECPoint q)
    {
        var digest = new SM3Digest();
        var bits = UserId.Length * 8;
        digest.Update((byte)(bits >> 8));
        digest.Update((byte)bits);
        digest.BlockUpdate(UserId);
        foreach (var element in new[] { Domain.Curve.A, Domain.Curve.B, Domain.G.AffineXCoord, Domain.G.AffineYCoord, q.AffineXCoord, q.AffineYCoord })
        {
            digest.BlockUpdate(element.GetEncoded());
        }

        var z = new byte[digest.GetDigestSize()];
        digest.DoFinal(z);
        return z;
    }

    private static void CheckPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (!IsValidPrivateKey(privateKey))
        {
            throw new System.Security.Cryptography.CryptographicException("Not an SM2 private key: expected 32 bytes holding 1 <= d <= n - 2.");
        }
    }

    private static void CheckLength(ReadOnlySpan<byte> span, int expected, string name)
    {
        if (span.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} bytes; got {span.Length}.", name);
        }
    }
}
