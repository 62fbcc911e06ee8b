using System.Globalization;
using System.Net;

namespace EvidenceChain.Capture.Guard;

/// <summary>
/// Refuses hosts written in a spelling that some parser on the way (the system resolver's <c>inet_aton</c>, the
/// browser's URL parser) could read as an address the SSRF guard never saw: a trailing dot (<c>127.0.0.1.</c>,
/// <c>localhost.</c>), a host that ends in a number but is not an address .NET reads (<c>09.0.0.1</c>,
/// <c>4294967296</c>, <c>1.2.3.4.5</c>), digits that only become an address after IDNA mapping (full-width
/// <c>１２７.０.０.１</c>), and IPv6 addresses with a zone id (<c>[fe80::1%25eth0]</c>). Such hosts are refused before
/// any lookup or connection. Octal, hex, shortened and single-number IPv4 spellings (<c>0177.0.0.1</c>,
/// <c>0x7f.1</c>, <c>127.1</c>, <c>2130706433</c>) are left to <see cref="Uri"/>, which reads them as the address
/// they mean, so the guard checks that address, again before any lookup.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class HostSpelling
{
    /// <summary>The rule name of these refusals.</summary>
    public const string RuleName = "non-canonical-host";

    /// <summary>
    /// True when the host of <paramref name="url"/> is written non-canonically; <paramref name="refusal"/> then says
    /// how, what it would mean and how to write it.
    /// </summary>
    public static bool IsNonCanonical(Uri url, out CaptureFailure? refusal)
    {
        ArgumentNullException.ThrowIfNull(url);
        var reason = Explain(url);
        refusal = reason is null ? null : new CaptureFailure(CaptureFailureReason.Refused, "refused: " + reason, RuleName);
        return reason is not null;
    }

    /// <summary>
    /// Why the host of <paramref name="url"/> is refused, as a clause ("the host ... is ..."), or null when it is
    /// written canonically.
    /// </summary>
    public static string? Explain(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return null;
        }

        switch (url.HostNameType)
        {
            case UriHostNameType.IPv4:
                return null; // Uri has read it as the address it means; the guard checks that address
            case UriHostNameType.IPv6:
                var zone = url.IdnHost.IndexOf('%', StringComparison.Ordinal);
                return zone < 0
                    ? null
                    : $"the host {url.Host} is written with the zone id \"{Printable(Uri.UnescapeDataString(url.IdnHost[zone..]))}\"; a zone names a network interface of the node, so it is not captured: write the address without it";
        }

        var written = url.Host;
        var name = url.IdnHost;
        if (name.Length == 0)
        {
            return null;
        }

        if (name.EndsWith('.'))
        {
            var bare = name.TrimEnd('.');
            return EndsInNumber(bare)
                ? $"the host \"{Printable(written)}\" is {Meaning(bare, "written with a trailing dot")}; {Advice(bare)}"
                : $"the host \"{Printable(written)}\" ends in a dot, which the resolver may read differently from {Printable(bare)}: write it as {Printable(bare)}";
        }

        return EndsInNumber(name)
            ? $"the host \"{Printable(written)}\" is {Meaning(name, "written non-canonically")}; {Advice(name)}"
            : null;
    }

    // The WHATWG URL standard's "ends in a number": the last label is all digits, or 0x followed by hex digits. Such a
    // host is an IPv4 address to a browser, or invalid; never a name to look up.
    private static bool EndsInNumber(string host)
    {
        var last = host[(host.LastIndexOf('.') + 1)..];
        if (last.Length == 0)
        {
            return false;
        }

        if (last.All(char.IsAsciiDigit))
        {
            return true;
        }

        return last.Length >= 2 && last[0] == '0' && (last[1] is 'x' or 'X') && last[2..].All(char.IsAsciiHexDigit);
    }

    private static string Meaning(string host, string how) => Read(host) is { } address
        ? AddressGuard.Classify(address).Class is var cls && cls == AddressClass.Public
            ? $"the IP address {address} {how}"
            : $"the IP address {address} ({AddressClasses.Describe(cls)}) {how}"
        : $"a number-like name that is not an IP address, {how}";

    private static string Advice(string host) => Read(host) is { } address
        ? $"write the address as {address} (non-canonical spellings are refused before any lookup)"
        : "such a host is an invalid IPv4 address to a browser and is not looked up";

    // The IPv4 address .NET reads in a host such as 0x7f.1 or 2130706433, if any.
    private static IPAddress? Read(string host) =>
        Uri.TryCreate("http://" + host + "/", UriKind.Absolute, out var uri) && uri.HostNameType == UriHostNameType.IPv4
            && IPAddress.TryParse(uri.Host, out var address)
            ? address
            : null;

    private static string Printable(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{((int)c).ToString("x4", CultureInfo.InvariantCulture)}"));
}
