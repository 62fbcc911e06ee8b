using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// The certificate number: <c>EC-</c>, the first 8 hex digits (upper case) of SHA-256 of the log's origin, <c>-</c>,
/// and the entry index in at least 10 decimal digits, e.g. <c>EC-3F2A9C1B-0000000042</c>. Derived, so anyone can
/// recompute it from the entry, and the same entry always gets the same number (docs/formats.md §17).
/// </summary>
internal static class CertificateNumber
{
    public static string Of(string origin, ulong index)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(origin));
        return string.Create(CultureInfo.InvariantCulture, $"EC-{Convert.ToHexString(digest, 0, 4)}-{index:D10}");
    }
}
