using System.Text;
using Org.BouncyCastle.Asn1.X509;

namespace EvidenceChain.Verifier.Timestamps.Internal;

/// <summary>Formats an X.500 name the way .NET's <c>X500DistinguishedName.Name</c> does: most specific part first.</summary>
internal static class DistinguishedName
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",+=\"\n<>#;\\");

    public static string Format(X509Name name)
    {
        var oids = name.GetOidList();
        var values = name.GetValueList();
        var text = new StringBuilder();
        for (var i = oids.Count - 1; i >= 0; i--)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            var symbol = X509Name.DefaultSymbols.TryGetValue(oids[i], out var known) ? known : "OID." + oids[i].Id;
            text.Append(symbol).Append('=').Append(Quote(values[i]));
        }

        return text.ToString();
    }

    // RFC 4514's special characters, and leading or trailing spaces, make .NET quote a value; so do we.
    private static string Quote(string value) =>
        value.Length > 0 && (value.AsSpan().IndexOfAny(Special) >= 0 || value[0] == ' ' || value[^1] == ' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
