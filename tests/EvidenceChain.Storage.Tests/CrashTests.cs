using System.Diagnostics;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

/// <summary>
/// A writer process is killed with SIGKILL at random moments; every append it acknowledged must be in the
/// ledger afterwards, with its blob, and the ledger must audit clean.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Rounds = 24;

    [Fact]
    public async Task KillNine_AtRandomMoments_LosesNothingAcknowledged()
    {
        using var temp = new TempFolder();
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var acknowledged = new Dictionary<ulong, (Hash LeafHash, string Blob)>();

        for (var round = 0; round < Rounds; round++)
        {
            var killAfter = TimeSpan.FromMilliseconds(random.Next(0, 1500));
            var acks = await RunAndKillAsync(temp.Path, round, killAfter);
            foreach (var (index, leafHash, blob) in acks)
            {
                Assert.True(acknowledged.TryAdd(index, (leafHash, blob)), $"round {round}: index {index} acknowledged twice");
            }

            output.WriteLine($"round {round}: killed after {killAfter.TotalMilliseconds} ms, {acks.Count} acks");
        }

        Assert.True(acknowledged.Count > 100, $"the writer acknowledged only {acknowledged.Count} appends in {Rounds} rounds");

        await using (var ledger = await FileLedger.OpenAsync(
            temp.Path, "crash.test/log", new LedgerOptions(), TimeProvider.System, NullLoggerFactory.Instance))
        {
            foreach (var (index, (leafHash, blob)) in acknowledged)
            {
                Assert.True(index < ledger.Ledger.Size, $"acknowledged entry {index} is beyond the ledger's size {ledger.Ledger.Size}");
                var entry = await ledger.Ledger.GetEntryAsync(index);
                Assert.Equal(leafHash, entry.LeafHash);
                if (blob != "-")
                {
                    Assert.True(ledger.Blobs.Contains(Hash.Parse(blob)), $"blob {blob} of entry {index} is missing");
                }
            }
        }

        using var folder = DataFolder.Open(temp.Path, create: false);
        var report = await LedgerAuditor.RunAsync(folder, pinnedKey: null);
        Assert.True(report.IsClean, string.Join("\n", report.Problems));
    }

    private static async Task<List<(ulong, Hash, string)>> RunAndKillAsync(string data, int round, TimeSpan killAfter)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "EvidenceChain.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet", [writer, data, round.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var acks = new List<(ulong, Hash, string)>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = process.StandardError.ReadToEndAsync();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ');
                if (parts is ["READY", _])
                {
                    ready.TrySetResult();
                }
                else if (parts is ["ACK", var index, var hash, var blob])
                {
                    lock (acks)
                    {
                        acks.Add((ulong.Parse(index, System.Globalization.CultureInfo.InvariantCulture), Hash.Parse(hash), blob));
                    }
                }
            }
        });

        // Most rounds start the kill clock once the writer has opened the ledger: on a loaded machine starting the
        // runtime alone can take longer than the longest kill delay, and a round that never reaches the ledger tests
        // nothing. Every fourth round counts from the process start, so kills during start-up and recovery still happen.
        var exited = process.WaitForExitAsync();
        if (round % 4 != 3 && await Task.WhenAny(exited, ready.Task, Task.Delay(TimeSpan.FromMinutes(1))) != ready.Task)
        {
            throw new InvalidOperationException(exited.IsCompleted
                ? $"writer exited by itself with {process.ExitCode}: {await stderr}"
                : "writer did not open the ledger within a minute");
        }

        if (await Task.WhenAny(exited, Task.Delay(killAfter)) == exited)
        {
            throw new InvalidOperationException($"writer exited by itself with {process.ExitCode}: {await stderr}");
        }

        process.Kill(entireProcessTree: true);
        await exited;
        await reading;
        lock (acks)
        {
            return [.. acks];
        }
    }
}
