using System.Net;

namespace EvidenceChain.Capture.Guard;

/// <summary>
/// The SSRF guard's answer for one address: allowed or refused, with the class that decided it and, for IPv6 forms
/// that embed an IPv4 address (mapped, compatible, 6to4, NAT64, Teredo), the embedded address. Immutable.
/// </summary>
/// <param name="Address">The address checked.</param>
/// <param name="Class">The class of the address, or of the IPv4 address it embeds.</param>
/// <param name="Allowed">True when the capture may connect to it (public, or allow-listed).</param>
/// <param name="Embedded">The embedded IPv4 address that was classified, if any.</param>
/// <param name="EmbeddingForm">How it is embedded ("IPv4-mapped", "6to4", ...), if it is.</param>
public sealed record AddressVerdict(IPAddress Address, AddressClass Class, bool Allowed, IPAddress? Embedded, string? EmbeddingForm)
{
    /// <summary>The stable rule name of a refusal, e.g. <c>private-address</c>; <c>allowed</c> when allowed.</summary>
    public string Rule => Allowed ? "allowed" : AddressClasses.RuleName(Class);

    /// <summary>
    /// The refusal as a sentence naming the rule and the setting that lifts it, e.g. "refused: 10.0.0.5 is a private
    /// address (RFC 1918); allow it with Capture:AllowedNetworks".
    /// </summary>
    internal string Explain()
    {
        var what = AddressClasses.Describe(Class);
        var subject = Embedded is null
            ? $"{Address} is {what}"
            : $"{Address} ({EmbeddingForm} IPv6) embeds {Embedded}, {what}";
        return Allowed
            ? $"allowed: {subject}"
            : $"refused: {subject}; allow it with {CaptureOptions.AllowedNetworksSetting}";
    }
}
