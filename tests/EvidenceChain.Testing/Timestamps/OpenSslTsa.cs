using System.Diagnostics;
using System.Text;

namespace EvidenceChain.Testing.Timestamps;

/// <summary>
/// A real RFC 3161 TSA independent of ours: openssl makes a CA and a TSA certificate (critical EKU timeStamping
/// unless asked otherwise) and answers with <c>openssl ts -query</c> / <c>openssl ts -reply</c>.
/// </summary>
/// <remarks>Not thread-safe; each instance owns a temporary folder.</remarks>
public sealed class OpenSslTsa : IDisposable
{
    /// <summary>The policy OID of our node's TSA, used here too.</summary>
    public const string Policy = "2.25.206451796066472297028208634299166043406";

    private readonly TempFolder _folder = new();

    /// <summary>Makes the CA and TSA certificate.</summary>
    /// <param name="keyType"><c>ec</c> (P-256) or <c>rsa</c> (2048) for the TSA key; the CA is always P-256.</param>
    /// <param name="startDate">The TSA certificate's notBefore (<c>YYYYMMDDHHMMSSZ</c>); default now.</param>
    /// <param name="endDate">The TSA certificate's notAfter; default a year from now.</param>
    /// <param name="selfSigned">Make the TSA certificate self-signed instead of issued by the CA.</param>
    /// <param name="name">The TSA's common name.</param>
    public OpenSslTsa(string keyType = "ec", string? startDate = null, string? endDate = null, bool selfSigned = false, string name = "Test TSA")
    {
        File.WriteAllText(Path("ca.cnf"), Config);
        File.WriteAllText(Path("index.txt"), string.Empty);
        File.WriteAllText(Path("serial"), "1000\n");
        File.WriteAllText(Path("tsaserial"), "01\n");
        Directory.CreateDirectory(Path("newcerts"));
        Run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-subj", $"/CN={name} CA", "-days", "7300", "-config", "ca.cnf", "-extensions", "ca_ext");
        var key = keyType == "rsa" ? new[] { "-newkey", "rsa:2048" } : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
        if (selfSigned)
        {
            Run(["req", "-x509", .. key, "-nodes", "-keyout", "tsa.key", "-out", "tsa.pem", "-subj", $"/CN={name}", "-days", "365", "-config", "ca.cnf", "-extensions", "tsa_ext"]);
        }
        else
        {
            Run(["req", "-new", .. key, "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", $"/CN={name}"]);
            Run(["ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "tsa.csr", "-out", "tsa.pem", "-notext", "-extensions", "tsa_ext",
                .. startDate is null ? Array.Empty<string>() : ["-startdate", startDate],
                .. endDate is null ? ["-days", "365"] : new[] { "-enddate", endDate }]);
        }

        File.WriteAllText(Path("chain.pem"), File.ReadAllText(Path("tsa.pem")) + File.ReadAllText(Path("ca.pem")));
    }

    /// <summary>The folder holding ca.pem, tsa.pem, chain.pem and the keys.</summary>
    public string Folder => _folder.Path;

    /// <summary>The path of the CA certificate (PEM), the anchor a verifier pins.</summary>
    public string CaPemPath => Path("ca.pem");

    /// <summary>The CA certificate, PEM.</summary>
    public string CaPem => File.ReadAllText(CaPemPath);

    /// <summary>The TSA certificate then the CA certificate, PEM (a receipt's trust/tsa-chain.pem).</summary>
    public string ChainPem => File.ReadAllText(Path("chain.pem"));

    /// <summary>The path of the TSA certificate (PEM).</summary>
    public string TsaPemPath => Path("tsa.pem");

    /// <summary>The path of the TSA private key (PEM, unencrypted).</summary>
    public string TsaKeyPath => Path("tsa.key");

    /// <summary>A DER TimeStampResp over <paramref name="data"/> from <c>openssl ts -reply</c>.</summary>
    /// <param name="data">The bytes to timestamp.</param>
    /// <param name="digest">The imprint hash: sha256, sha384 or sha512.</param>
    /// <param name="certReq">Ask for the TSA certificate in the token.</param>
    public byte[] Timestamp(ReadOnlySpan<byte> data, string digest = "sha256", bool certReq = true)
    {
        var id = Guid.NewGuid().ToString("N");
        File.WriteAllBytes(Path($"{id}.data"), data.ToArray());
        Run(["ts", "-query", "-data", $"{id}.data", $"-{digest}", .. certReq ? new[] { "-cert" } : [], "-no_nonce", "-out", $"{id}.tsq"]);
        Run("ts", "-reply", "-config", "ca.cnf", "-section", "tsa_config", "-queryfile", $"{id}.tsq", "-inkey", "tsa.key", "-signer", "tsa.pem", "-out", $"{id}.tsr");
        return File.ReadAllBytes(Path($"{id}.tsr"));
    }

    /// <summary>Runs openssl in the folder and returns stdout; throws with stderr when it fails.</summary>
    public string Run(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
        }

        return stdout.Result;
    }

    /// <summary>Runs openssl and returns its exit code and combined output, without throwing.</summary>
    public (int ExitCode, string Output) TryRun(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, new StringBuilder(stdout.Result).Append(stderr).ToString());
    }

    public string Path(string name) => _folder.Sub(name);

    public void Dispose() => _folder.Dispose();

    private const string Config = """
        [ca]
        default_ca = test_ca

        [test_ca]
        dir = .
        database = ./index.txt
        new_certs_dir = ./newcerts
        serial = ./serial
        default_md = sha256
        policy = any_name
        unique_subject = no
        copy_extensions = none
        email_in_dn = no

        [any_name]
        commonName = supplied

        [ca_ext]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash

        [tsa_ext]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = critical, timeStamping
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        [tsa_config]
        dir = .
        serial = ./tsaserial
        crypto_device = builtin
        signer_digest = sha256
        default_policy = 2.25.206451796066472297028208634299166043406
        digests = sha256, sha384, sha512
        accuracy = secs:1
        ordering = no
        tsa_name = yes
        ess_cert_id_chain = no
        ess_cert_id_alg = sha256
        """;
}
