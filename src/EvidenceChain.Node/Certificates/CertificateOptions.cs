namespace EvidenceChain.Node.Certificates;

/// <summary>Settings of the evidence certificate (section <c>Certificate</c>). Plain and mutable, for binding only.</summary>
internal sealed class CertificateOptions
{
    /// <summary>
    /// The verification page of an entry, which the certificate's QR code opens: <c>{origin}</c> and <c>{index}</c>
    /// are replaced. Default <c>https://{origin}/entries/{index}</c>, for a log whose origin is the host name (and path)
    /// it is served under; set it when the console lives elsewhere.
    /// </summary>
    public string VerifyUrl { get; set; } = "https://{origin}/entries/{index}";

    /// <summary>Who runs the node, as the certificate names it (default: "not configured (Certificate:Operator)").</summary>
    public string Operator { get; set; } = string.Empty;

    /// <summary>
    /// A TrueType font (.ttf, or face 0 of a .ttc) with full CJK coverage to use instead of the bundled subset
    /// (GB 2312 level 1); default none.
    /// </summary>
    public string? FontFile { get; set; }

    /// <summary>The verification URL of entry <paramref name="index"/> of the log <paramref name="origin"/>.</summary>
    public string VerifyUrlOf(string origin, ulong index) =>
        VerifyUrl.Replace("{origin}", origin, StringComparison.Ordinal)
            .Replace("{index}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
