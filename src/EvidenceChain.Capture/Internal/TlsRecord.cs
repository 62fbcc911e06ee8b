using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// What the TLS handshake showed: protocol, cipher suite, the certificates the server sent (PEM, in the order sent)
/// and whether the chain validated against the system's trust store, with the errors when it did not.
/// </summary>
internal sealed class TlsRecord
{
    public string Protocol { get; set; } = string.Empty;

    public string CipherSuite { get; set; } = string.Empty;

    public string Alpn { get; set; } = string.Empty;

    public List<string> ServerCertificatesPem { get; } = [];

    public bool ChainValid { get; private set; }

    public string PolicyErrors { get; private set; } = "not checked";

    public List<string> ChainStatus { get; } = [];

    /// <summary>Records the validation the handshake did; the capture goes on whatever its result.</summary>
    public void RecordValidation(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ChainValid = errors == SslPolicyErrors.None;
        PolicyErrors = errors == SslPolicyErrors.None ? "none" : errors.ToString();
        if (certificate is not null)
        {
            using var leaf = new X509Certificate2(certificate);
            ServerCertificatesPem.Add(leaf.ExportCertificatePem());
        }

        if (chain is null)
        {
            return;
        }

        // The extra store holds what the server sent; on Linux that includes the leaf, which is already recorded.
        // Each certificate the server sent is recorded once, as `openssl s_client -showcerts` lists them.
        foreach (var extra in chain.ChainPolicy.ExtraStore)
        {
            var pem = extra.ExportCertificatePem();
            if (!ServerCertificatesPem.Contains(pem))
            {
                ServerCertificatesPem.Add(pem);
            }
        }

        foreach (var element in chain.ChainElements)
        {
            var status = element.ChainElementStatus.Length == 0
                ? "ok"
                : string.Join("; ", element.ChainElementStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
            ChainStatus.Add($"{element.Certificate.Subject} | {status}");
        }
    }

    /// <summary>The TLS resource record's block: the summary fields, a blank line, then the PEM chain.</summary>
    public byte[] ToBlock()
    {
        var text = new StringBuilder()
            .Append("protocol: ").Append(Protocol).Append('\n')
            .Append("cipher-suite: ").Append(CipherSuite).Append('\n')
            .Append("alpn: ").Append(Alpn).Append('\n')
            .Append("chain-validated: ").Append(ChainValid ? "true" : "false").Append('\n')
            .Append("policy-errors: ").Append(PolicyErrors).Append('\n')
            .Append("revocation: not checked (no network access outside the pinned connection)\n")
            .Append("server-certificates: ").Append(ServerCertificatesPem.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var line in ChainStatus)
        {
            text.Append("chain-element: ").Append(line.Replace('\n', ' ')).Append('\n');
        }

        text.Append('\n');
        foreach (var pem in ServerCertificatesPem)
        {
            text.Append(pem).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
