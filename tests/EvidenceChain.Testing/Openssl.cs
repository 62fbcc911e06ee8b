using System.Diagnostics;

namespace EvidenceChain.Testing;

/// <summary>What one run of the openssl command line printed and exited with.</summary>
public sealed record OpensslResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"openssl exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>
/// Runs the system's <c>openssl</c> as a process: the independent implementation that RFC 3161 tokens must satisfy
/// (<c>openssl ts -verify</c>), as a relying party would run it.
/// </summary>
public static class Openssl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>openssl ARGS</c> and returns its exit code and output.</summary>
    public static async Task<OpensslResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return new OpensslResult(process.ExitCode, await output, await error);
    }

    /// <summary><c>openssl ts -verify -data DATA -in RESPONSE -CAfile CA</c>.</summary>
    public static Task<OpensslResult> VerifyDataAsync(string dataFile, string responseFile, string caFile, params string[] extra) =>
        RunAsync(["ts", "-verify", "-data", dataFile, "-in", responseFile, "-CAfile", caFile, .. extra]);

    /// <summary><c>openssl ts -verify -queryfile QUERY -in RESPONSE -CAfile CA</c>.</summary>
    public static Task<OpensslResult> VerifyQueryAsync(string queryFile, string responseFile, string caFile, params string[] extra) =>
        RunAsync(["ts", "-verify", "-queryfile", queryFile, "-in", responseFile, "-CAfile", caFile, .. extra]);

    /// <summary><c>openssl ts -query -data DATA -sha256 [-cert] -out QUERY</c>: a TimeStampReq as a client makes it.</summary>
    public static async Task<byte[]> QueryAsync(string dataFile, string queryFile, bool certReq = true, params string[] extra)
    {
        string[] args = ["ts", "-query", "-data", dataFile, "-sha256", .. certReq ? ["-cert"] : Array.Empty<string>(), "-out", queryFile, .. extra];
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return await File.ReadAllBytesAsync(queryFile);
    }

    /// <summary>Asserts that openssl printed "Verification: OK" and exited 0.</summary>
    public static void AssertVerified(OpensslResult result)
    {
        Assert.True(result.ExitCode == 0 && result.Out.Contains("Verification: OK", StringComparison.Ordinal), result.ToString());
    }

    /// <summary>Asserts that openssl refused the token: a non-zero exit and no "Verification: OK".</summary>
    public static void AssertRefused(OpensslResult result)
    {
        Assert.True(result.ExitCode != 0 && !result.Out.Contains("Verification: OK", StringComparison.Ordinal), result.ToString());
    }
}
