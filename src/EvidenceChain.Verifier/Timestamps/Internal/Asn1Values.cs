using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace EvidenceChain.Verifier.Timestamps.Internal;

/// <summary>Small helpers for untrusted DER and PEM input.</summary>
internal static class Asn1Values
{
    /// <summary>True when <paramref name="bytes"/> hold exactly one BER value and nothing after it.</summary>
    public static bool IsOneValue(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new AsnReader(bytes, AsnEncodingRules.BER);
            reader.ReadEncodedValue();
            return !reader.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The certificates field of a CMS ContentInfo holding SignedData (RFC 5652 §5.1), each as its bytes in the token:
    /// what the ESS signing-certificate hash covers, never a re-encoding. Other certificate choices are skipped.
    /// </summary>
    /// <exception cref="AsnContentException">The token is not a ContentInfo holding SignedData.</exception>
    public static List<ReadOnlyMemory<byte>> SignedDataCertificates(ReadOnlyMemory<byte> token)
    {
        var contentInfo = new AsnReader(token, AsnEncodingRules.BER).ReadSequence();
        contentInfo.ReadObjectIdentifier();
        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        signedData.ReadInteger(); // version
        signedData.ReadSetOf(); // digestAlgorithms
        signedData.ReadSequence(); // encapContentInfo
        var certificates = new List<ReadOnlyMemory<byte>>();
        var certificatesTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(certificatesTag))
        {
            var set = signedData.ReadSetOf(skipSortOrderValidation: true, certificatesTag);
            while (set.HasData)
            {
                var isCertificate = set.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence);
                var value = set.ReadEncodedValue();
                if (isCertificate)
                {
                    certificates.Add(value);
                }
            }
        }

        return certificates;
    }

    /// <summary>
    /// The exceptions with which BouncyCastle and the BCL refuse malformed ASN.1, CMS, keys and certificates. They mean
    /// "this input is broken", an expected outcome for untrusted bytes; anything else is a bug and propagates.
    /// </summary>
    public static bool IsMalformedInput(Exception e) => e is IOException // includes Asn1Exception
        or AsnContentException
        or ArgumentException
        or InvalidCastException
        or InvalidOperationException // includes Asn1ParsingException
        or FormatException
        or ArithmeticException
        or IndexOutOfRangeException
        or CryptographicException
        or CmsException
        or TspException
        or CryptoException
        or GeneralSecurityException // includes CertificateException, SignatureException, InvalidKeyException
        or SecurityUtilityException; // an algorithm identifier BouncyCastle does not know

    /// <summary>The PEM blocks of <paramref name="pem"/> (RFC 7468): label and decoded body, in order.</summary>
    /// <exception cref="CryptographicException">A block has no matching end line or its body is not base64.</exception>
    public static IEnumerable<(string Label, byte[] Der)> PemBlocks(string pem)
    {
        const string Begin = "-----BEGIN ";
        const string Dashes = "-----";
        var blocks = new List<(string, byte[])>();
        var at = 0;
        while ((at = pem.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
        {
            var labelStart = at + Begin.Length;
            var labelEnd = pem.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
            if (labelEnd < 0)
            {
                throw new CryptographicException("a PEM BEGIN line is not closed by -----");
            }

            var label = pem[labelStart..labelEnd];
            var end = $"-----END {label}-----";
            var bodyStart = labelEnd + Dashes.Length;
            var bodyEnd = pem.IndexOf(end, bodyStart, StringComparison.Ordinal);
            if (bodyEnd < 0)
            {
                throw new CryptographicException($"the PEM block \"{label}\" has no END line");
            }

            try
            {
                blocks.Add((label, Convert.FromBase64String(pem[bodyStart..bodyEnd])));
            }
            catch (FormatException e)
            {
                throw new CryptographicException($"the PEM block \"{label}\" is not base64: {e.Message}", e);
            }

            at = bodyEnd + end.Length;
        }

        return blocks;
    }

    /// <summary>One PEM block with 64-character lines, ending in a line feed.</summary>
    public static string ToPem(string label, ReadOnlySpan<byte> der)
    {
        var base64 = Convert.ToBase64String(der);
        var text = new StringBuilder();
        text.Append("-----BEGIN ").Append(label).Append("-----\n");
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        return text.Append("-----END ").Append(label).Append("-----\n").ToString();
    }
}
