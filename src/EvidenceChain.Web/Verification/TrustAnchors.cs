using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;
using Org.BouncyCastle.X509;

namespace EvidenceChain.Web.Verification;

/// <summary>
/// The anchors the node delivers with the page (<c>trust.json</c>, next to index.html): its log key, its SM2 key under
/// the national profile, its TSA CA. Untrusted until the user looks at the fingerprints: the point is that they come
/// from the node the user chose to open, never from the receipt.
/// </summary>
internal sealed record TrustFile
{
    /// <summary>The log's origin line, e.g. <c>evidencechain.example/log</c>.</summary>
    [JsonPropertyName("origin")]
    public string? Origin { get; init; }

    /// <summary>The log's Ed25519 verifier key (keys/log.vkey).</summary>
    [JsonPropertyName("logKey")]
    public string? LogKey { get; init; }

    /// <summary>The log's SM2 verifier key (keys/log-sm2.vkey), or null when the node is not on the national profile.</summary>
    [JsonPropertyName("sm2Key")]
    public string? Sm2Key { get; init; }

    /// <summary>The TSA CA certificate(s), PEM (keys/tsa-ca.pem).</summary>
    [JsonPropertyName("tsaCaPem")]
    public string? TsaCaPem { get; init; }

    /// <summary>
    /// The node's witness policy (C2SP tlog-policy text: its witnesses and k), or null when the node has no witnesses.
    /// </summary>
    [JsonPropertyName("witnessPolicy")]
    public string? WitnessPolicy { get; init; }

    /// <summary>Where the node says these came from, e.g. <c>node evidencechain.example/log, keys/log.vkey and keys/tsa-ca.pem</c>.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }
}

[JsonSerializable(typeof(TrustFile))]
internal sealed partial class TrustFileJson : JsonSerializerContext;

/// <summary>A pinned verifier key and where it came from.</summary>
internal sealed record PinnedKey(NoteVerifier Key, string Text, string Source)
{
    /// <summary>SHA-256 of the public key bytes, hex: a fingerprint that does not depend on the key's name.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Key.PublicKey));

    public string KeyId => Key.KeyId.ToString("x8", CultureInfo.InvariantCulture);
}

/// <summary>A pinned witness policy and where it came from.</summary>
internal sealed record PinnedPolicy(WitnessPolicy Policy, string Source);

/// <summary>A pinned TSA CA certificate and where it came from.</summary>
internal sealed record PinnedCertificate(string Subject, string Fingerprint, DateTime NotBefore, DateTime NotAfter, string Pem, string Source);

/// <summary>
/// The trust anchors the page verifies under: at most one log key, at most one SM2 key, TSA CA certificates and at
/// most one witness policy. Loading a key replaces the one of its type; loading certificates replaces the CA set;
/// loading a policy replaces the policy.
/// </summary>
/// <remarks>Not thread-safe (the page is single-threaded).</remarks>
internal sealed class TrustAnchors
{
    public PinnedKey? LogKey { get; private set; }

    public PinnedKey? Sm2Key { get; private set; }

    public IReadOnlyList<PinnedCertificate> TsaCas { get; private set; } = [];

    /// <summary>The witness policy the <c>witnesses</c> step checks; null: the step is skipped.</summary>
    public PinnedPolicy? Policy { get; private set; }

    /// <summary>The log origin the node announced with its anchors, or null.</summary>
    public string? Origin { get; private set; }

    public bool IsEmpty => LogKey is null && Sm2Key is null && TsaCas.Count == 0 && Policy is null;

    /// <summary>Pins what the node delivered; returns the problems found (empty when all was read).</summary>
    public List<string> Load(TrustFile file, string source)
    {
        var problems = new List<string>();
        Origin = file.Origin;
        if (!string.IsNullOrWhiteSpace(file.LogKey))
        {
            TryAddText(file.LogKey, source, problems);
        }

        if (!string.IsNullOrWhiteSpace(file.Sm2Key))
        {
            TryAddText(file.Sm2Key, source, problems);
        }

        if (!string.IsNullOrWhiteSpace(file.TsaCaPem))
        {
            TryAddText(file.TsaCaPem, source, problems);
        }

        if (!string.IsNullOrWhiteSpace(file.WitnessPolicy))
        {
            TryAddText(file.WitnessPolicy, source, problems);
        }

        return problems;
    }

    /// <summary>
    /// Pins what <paramref name="text"/> holds: a verifier key (Ed25519 or SM2), PEM certificates or a witness policy.
    /// Returns what was pinned, or throws <see cref="FormatException"/> saying why nothing was.
    /// </summary>
    public string Add(string text, string source)
    {
        var trimmed = text.Trim();
        if (LooksLikePolicy(trimmed))
        {
            WitnessPolicy policy;
            try
            {
                policy = WitnessPolicy.Parse(text);
            }
            catch (FormatException e)
            {
                throw new FormatException($"not a valid witness policy: {e.Message}");
            }

            Policy = new PinnedPolicy(policy, source);
            return $"witness policy, quorum {policy.DescribeQuorum()}";
        }

        if (trimmed.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var certificates = ReadCertificates(trimmed, source);
            TsaCas = certificates;
            return string.Join(", ", certificates.Select(c => c.Subject));
        }

        if (!NoteVerifier.TryParse(trimmed, out var key, out var error))
        {
            throw new FormatException($"neither a verifier key (name+hex8+base64: {error}) nor PEM certificates");
        }

        var pinned = new PinnedKey(key, trimmed, source);
        if (key.Type == NoteKeyType.Sm2)
        {
            Sm2Key = pinned;
        }
        else
        {
            LogKey = pinned;
        }

        return $"{key.Name}+{pinned.KeyId}";
    }

    public void Clear()
    {
        LogKey = null;
        Sm2Key = null;
        TsaCas = [];
        Policy = null;
        Origin = null;
    }

    /// <summary>A policy file's lines start with its keywords; a key or PEM text never does.</summary>
    public static bool LooksLikePolicy(string text) =>
        text.Split('\n').Select(l => l.Trim()).Any(l => l.StartsWith("quorum ", StringComparison.Ordinal) || l.StartsWith("witness ", StringComparison.Ordinal) || l.StartsWith("witness\t", StringComparison.Ordinal));

    /// <summary>The trust the Verifier takes, as the CLI builds it from --log-key, --tsa-ca, --sm2-key and --policy.</summary>
    public ReceiptTrust? ToReceiptTrust()
    {
        // As the CLI: without a pinned log key, a policy that names exactly one log pins it.
        var logKey = LogKey?.Key ?? (Policy?.Policy.Logs is [{ } only] ? only.Key : null);
        if (logKey is null)
        {
            return null;
        }

        return new ReceiptTrust
        {
            LogKey = logKey,
            Witnesses = Policy?.Policy,
            TsaCas = [.. TsaCas.SelectMany(c => TimestampVerifier.ReadPem(c.Pem))],
            CheckpointChecks = Sm2Key is null ? [] : [CheckpointChecks.Sm2Signature(Sm2Key.Key)],
        };
    }

    /// <summary>The certificates of a PEM text, for display: subject, SHA-256 fingerprint of the DER, validity.</summary>
    public static List<PinnedCertificate> ReadCertificates(string pem, string source)
    {
        var result = new List<PinnedCertificate>();
        const string Begin = "-----BEGIN CERTIFICATE-----", End = "-----END CERTIFICATE-----";
        var at = 0;
        while ((at = pem.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
        {
            var end = pem.IndexOf(End, at, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new FormatException("a PEM certificate has no END line");
            }

            var block = pem[at..(end + End.Length)];
            var base64 = block[Begin.Length..^End.Length];
            byte[] der;
            try
            {
                der = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw new FormatException("a PEM certificate is not base64");
            }

            X509Certificate certificate;
            try
            {
                certificate = new X509CertificateParser().ReadCertificate(der)
                    ?? throw new FormatException("a PEM block holds no certificate");
            }
            catch (Exception e) when (e is Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException or InvalidCastException)
            {
                throw new FormatException($"a PEM certificate is malformed: {e.Message}");
            }

            result.Add(new PinnedCertificate(
                certificate.SubjectDN.ToString(),
                Fingerprint(der),
                certificate.NotBefore,
                certificate.NotAfter,
                block + "\n",
                source));
            at = end + End.Length;
        }

        return result.Count > 0 ? result : throw new FormatException("no PEM certificate found");
    }

    /// <summary>SHA-256 of DER bytes, as openssl x509 -fingerprint -sha256 prints it (uppercase hex pairs and colons).</summary>
    public static string Fingerprint(byte[] der)
    {
        var hex = Convert.ToHexString(SHA256.HashData(der));
        var builder = new StringBuilder(hex.Length * 3 / 2);
        for (var i = 0; i < hex.Length; i += 2)
        {
            if (i > 0)
            {
                builder.Append(':');
            }

            builder.Append(hex, i, 2);
        }

        return builder.ToString();
    }

    private void TryAddText(string text, string source, List<string> problems)
    {
        try
        {
            Add(text, source);
        }
        catch (FormatException e)
        {
            problems.Add(e.Message);
        }
    }
}
