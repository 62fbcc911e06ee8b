using System.Diagnostics;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>
/// <c>evidencectl witness serve</c> as a real process: it cosigns a log's checkpoints and, killed with SIGKILL at any
/// moment, comes back with every cosigned size it acknowledged, so it never cosigns another tree of that size.
/// </summary>
public sealed class WitnessServeTests
{
    private static readonly NoteSigner LogKey = NoteSigner.FromSeed("example.org/witnessed", Enumerable.Repeat((byte)4, 32).ToArray());
    private static readonly Hash[] Leaves = [.. Enumerable.Range(0, 3000).Select(i => Rfc6962.HashLeaf(Encoding.UTF8.GetBytes($"leaf {i}")))];
    private static readonly Hash[] Forked = [.. Enumerable.Range(0, 3000).Select(i => Rfc6962.HashLeaf(Encoding.UTF8.GetBytes($"fork {i}")))];

    [Fact]
    public async Task Serve_LogFileMissingOrNotAKey_IsExit2WithOneLineSayingWhich()
    {
        using var temp = new TempFolder();
        var state = temp.Sub("witness");
        var missing = temp.Sub("keys/log.vkey");
        var junk = temp.Sub("junk.vkey");
        await File.WriteAllTextAsync(junk, "not a key\n");

        Cli.AssertUsage(
            await Cli.RunAsync("witness", "serve", "--state", state, "--name", "court.test/witness", "--log", missing, "--listen", "127.0.0.1:0"),
            $"--log {missing}: no such file, and not a log verifier key either");
        Cli.AssertUsage(
            await Cli.RunAsync("witness", "serve", "--state", state, "--name", "court.test/witness", "--log", junk, "--listen", "127.0.0.1:0"),
            $"--log {junk}: \"not a key\" is not a log verifier key");
    }

    [UnixFact]
    public async Task KillNine_AtRandomMoments_KeepsEveryAcknowledgedSize()
    {
        using var temp = new TempFolder();
        var state = temp.Sub("witness");
        var vkeyFile = temp.Sub("log.vkey");
        await File.WriteAllTextAsync(vkeyFile, LogKey.VerifierKey + "\n");
        string? witnessKey = null;
        var acknowledged = 0;
        for (var round = 0; round < 3; round++)
        {
            using var process = await StartAsync(state, vkeyFile);
            var vkey = process.Vkey;
            witnessKey ??= vkey;
            Assert.Equal(witnessKey, vkey);
            using var http = new HttpClient { BaseAddress = process.Address };

            // After the restart: the state holds at least every size it acknowledged, and refuses a fork of it.
            var (status, current) = await PostAsync(http, Body(0, [], Checkpoint(Leaves, 1)));
            var cosigned = status == 200 ? 0 : int.Parse(current.TrimEnd('\n'), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(status == 409 || (acknowledged == 0 && status == 200), $"{status} {current}");
            Assert.True(cosigned >= acknowledged, $"round {round}: witness is at size {cosigned}, but it acknowledged {acknowledged}");
            if (cosigned > 0)
            {
                Assert.Equal(422, (await PostAsync(http, Body(cosigned, [], Checkpoint(Forked, cosigned)))).Status);
            }
            else
            {
                cosigned = 1;
            }

            acknowledged = cosigned;
            var key = WitnessKey.Parse(vkey);
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(Random.Shared.Next(150, 900)));
            try
            {
                while (acknowledged < Leaves.Length - 7)
                {
                    var next = acknowledged + 7;
                    var checkpoint = Checkpoint(Leaves, next);
                    var (s, line) = await PostAsync(http, Body(acknowledged, Proof(acknowledged, next), checkpoint), stop.Token);
                    Assert.True(s == 200, $"{s} {line}");
                    Assert.True(Cosignature.TryParseLine(line, out var parsed) && Cosignature.TryVerify(key, SignedNote.TextOf(checkpoint)!, parsed, out _));
                    acknowledged = next;
                }
            }
            catch (OperationCanceledException)
            {
                // The kill comes at a random moment, mid-request or between requests.
            }

            process.Kill();
        }

        Assert.True(acknowledged > 1, "no checkpoint was cosigned");
    }

    private static string Checkpoint(Hash[] leaves, int size) =>
        CheckpointNote.Sign(new Checkpoint(LogKey.Name, (ulong)size, MerkleMath.Root(leaves.AsSpan(0, size))), LogKey);

    private static Hash[] Proof(int oldSize, int newSize) => new ReferenceTree(Leaves.Take(newSize)).ConsistencyProof(oldSize);

    private static string Body(int oldSize, Hash[] proof, string checkpoint) =>
        $"old {oldSize}\n{string.Concat(proof.Select(h => h.ToBase64() + "\n"))}\n{checkpoint}";

    private static async Task<(int Status, string Body)> PostAsync(HttpClient http, string body, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        using var response = await http.PostAsync("/add-checkpoint", content, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static async Task<WitnessProcess> StartAsync(string state, string vkeyFile)
    {
        var start = new ProcessStartInfo(
            "dotnet",
            [ProcessExitCodeTests.CliAssembly(), "witness", "serve", "--state", state, "--name", "court.test/witness", "--log", vkeyFile, "--listen", "127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var vkey = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
        string? line;
        while ((line = await process.StandardError.ReadLineAsync(timeout.Token)) is not null)
        {
            const string Marker = "witness listening on ";
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var address = line[(at + Marker.Length)..].Split(' ')[0];
                _ = process.StandardError.ReadToEndAsync(); // keep draining
                return new WitnessProcess(process, vkey, new Uri(address));
            }
        }

        throw new InvalidOperationException($"witness serve exited ({process.ExitCode}) without listening");
    }

    private sealed class WitnessProcess(Process process, string vkey, Uri address) : IDisposable
    {
        public string Vkey { get; } = vkey;

        public Uri Address { get; } = address;

        /// <summary>SIGKILL: no shutdown code runs.</summary>
        public void Kill()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }
}
