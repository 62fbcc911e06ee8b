using System.Diagnostics;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Testing;

/// <summary>
/// Checks SM2 signatures with the openssl command-line tool (OpenSSL 3), exactly as docs/formats.md §6a tells a
/// third party to: <c>openssl pkeyutl -verify -pubin -inkey PEM -rawin -digest sm3 -in MSG -sigfile SIG -pkeyopt
/// distid:1234567812345678</c>.
/// </summary>
public static class Sm2OpenSsl
{
    /// <summary>The SM2 user ID (distinguishing identifier) every EvidenceChain SM2 line uses.</summary>
    public const string DistId = "1234567812345678";

    /// <summary>
    /// Writes the message, the DER signature and the key's PEM to files in <paramref name="folder"/> and runs
    /// <c>openssl pkeyutl -verify</c>; returns openssl's exit code and output.
    /// </summary>
    public static (int ExitCode, string Output) Verify(TempFolder folder, NoteVerifier key, byte[] message, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(key);
        var tag = Guid.NewGuid().ToString("N");
        var msg = folder.Sub($"msg-{tag}");
        var sig = folder.Sub($"sig-{tag}");
        var pem = folder.Sub($"pub-{tag}.pem");
        File.WriteAllBytes(msg, message);
        File.WriteAllBytes(sig, signature);
        File.WriteAllText(pem, key.ExportSubjectPublicKeyInfoPem());
        return Run("pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-digest", "sm3", "-in", msg, "-sigfile", sig, "-pkeyopt", "distid:" + DistId);
    }

    /// <summary>Runs openssl with <paramref name="arguments"/>, waiting at most 30 seconds; returns the exit code and stdout + stderr.</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException("openssl did not finish within 30 s");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Splits a signed note into its text and the decoded signature (without the key ID) of the line by
    /// <paramref name="key"/>; fails the test when there is no such line.
    /// </summary>
    public static (byte[] Text, byte[] Signature) Extract(string note, NoteVerifier key)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(key);
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        Assert.True(split > 0, "not a signed note");
        var text = System.Text.Encoding.UTF8.GetBytes(note[..(split + 1)]);
        foreach (var line in note[(split + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            var raw = Convert.FromBase64String(parts[2]);
            if (parts[1] == key.Name && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(raw) == key.KeyId)
            {
                return (text, raw[4..]);
            }
        }

        Assert.Fail($"the note has no signature line by {key}");
        return default;
    }
}
