using System.Globalization;

namespace EvidenceChain.Verifier.Timestamps;

/// <summary>The fields of a decoded timestamp token (untrusted unless its <see cref="TimestampResult"/> is valid).</summary>
/// <param name="GenTime">The time the TSA asserts, UTC.</param>
/// <param name="SerialNumber">The token's serial number, as lowercase hex of its big-endian bytes.</param>
/// <param name="Policy">The TSA policy OID.</param>
/// <param name="AccuracyMicroseconds">The declared accuracy in microseconds, or null when absent.</param>
/// <param name="HashAlgorithm">The message imprint's hash, e.g. <c>SHA256</c>.</param>
/// <param name="Signer">The signer's certificate, when it was found.</param>
public sealed record TimestampInfo(
    DateTimeOffset GenTime,
    string SerialNumber,
    string Policy,
    long? AccuracyMicroseconds,
    string HashAlgorithm,
    TsaCertificate? Signer)
{
    /// <summary>The nonce the requester sent, as lowercase hex of its big-endian bytes; null when the token has none.</summary>
    public string? Nonce { get; init; }

    /// <summary>A one-line summary: genTime, accuracy, TSA, serial and policy.</summary>
    public override string ToString()
    {
        var accuracy = AccuracyMicroseconds is { } us
            ? string.Create(CultureInfo.InvariantCulture, $" ±{FormatAccuracy(us)}")
            : string.Empty;
        var tsa = Signer is null ? "unknown TSA" : $"TSA \"{Signer.Subject}\"";
        return string.Create(CultureInfo.InvariantCulture, $"genTime {GenTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFZ}{accuracy}, {tsa}, serial {SerialNumber}, policy {Policy}, imprint {HashAlgorithm}");
    }

    private static string FormatAccuracy(long microseconds) =>
        microseconds % 1_000_000 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000} s")
        : microseconds % 1000 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{microseconds} µs");
}
