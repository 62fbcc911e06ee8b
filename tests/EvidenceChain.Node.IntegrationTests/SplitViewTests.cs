using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Notes;
using EvidenceChain.Node.IntegrationTests.Cases;
using EvidenceChain.Storage;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Witness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Issue 19's split view: two nodes with the same log key and origin whose logs diverge at the same size, both asking
/// the same two honest witnesses. The first log's checkpoints are cosigned; the second's are refused by every witness
/// (a conflict), which the witnesses log as a split view and the second node logs and reports in its health; a
/// receipt from the second log fails the policy. (The mirror's refusal of such a log: MirrorCommandTests.)
/// </summary>
public sealed class SplitViewTests
{
    [Fact]
    public async Task TwoLogsOneKeyDivergingAtOneSize_EveryWitnessRefusesTheSecond_ItsLogAndHealthSaySo()
    {
        using var temp = new TempFolder();
        var log = NoteSigner.FromSeed("splitview.test/log", RandomNumberGenerator.GetBytes(NoteSigner.SeedSize));
        var honest = temp.Sub("honest");
        var forked = temp.Sub("forked");
        LogKeyFiles.Write(Path.Combine(honest, "keys"), log);
        LogKeyFiles.Write(Path.Combine(forked, "keys"), log);
        var witnessLogs = new ConcurrentQueue<(int Id, string Message)>();
        var hosts = new List<WitnessHost>();
        try
        {
            var settings = new List<string> { "--Witnesses:MinInterval", "00:00:00.050", "--Witnesses:RequestTimeout", "00:00:02", "--Witnesses:MaxRetryDelay", "00:00:01" };
            for (var i = 0; i < 2; i++)
            {
                var host = await WitnessHost.StartAsync(
                    "127.0.0.1:0", temp.Sub(string.Create(CultureInfo.InvariantCulture, $"witness{i}")), string.Create(CultureInfo.InvariantCulture, $"splitview.test/w{i}"),
                    [log.VerifierKey], b => b.AddProvider(new QueueLoggerProvider(witnessLogs)));
                hosts.Add(host);
                settings.AddRange([$"--Witnesses:List:{i}:Key", host.Key.ToString(), $"--Witnesses:List:{i}:Url", host.Address.ToString()]);
            }

            var keys = hosts.Select(h => h.Key).ToArray();
            var policy = WitnessPolicy.FromThreshold(2, [.. keys.Select(k => new PolicyWitness(k.Name, k))], [new PolicyLog(log.VerifierKey)]);

            // The honest log reaches size 3 (two key events and a file) and both witnesses cosign it.
            await using (var first = await TestNode.StartAsync(honest, [.. settings]))
            {
                await PreserveAsync(first, await first.CreateKeyAsync("submitter"), Bytes(100, seed: 1));
                var cosigned = await EventuallyAsync(
                    () => first.Log.GetCheckpointAsync(new GetCheckpointRequest()).ResponseAsync, c => c.TreeSize == 3 && c.CosignedBy.Count == 2, "the honest checkpoint of size 3 cosigned by both");
                Assert.Equal(keys.Select(k => k.Name), cosigned.CosignedBy);
            }

            // The second log, same key and origin, reaches size 3 with other entries (its own key events and file), then
            // shows the witnesses its checkpoint of size 3. (Started with the witnesses from the first entry, it would
            // meet their size 3 while it is smaller, and stop there without showing them a checkpoint of that size.)
            ulong index;
            await using (var growing = await TestNode.StartAsync(forked))
            {
                index = (await PreserveAsync(growing, await growing.CreateKeyAsync("submitter"), Bytes(100, seed: 2))).Entry.Index;
                Assert.Equal(3UL, growing.Node.Ledger.Size);
            }

            await using var second = await TestNode.StartAsync(forked, [.. settings]);
            second.ExpectError(32, "EvidenceChain.Ledger.Witnessing.CheckpointCosigner", "reports a conflict");
            second.ExpectError(103, "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", "Health check witnesses with status Unhealthy");

            // Both witnesses refuse it as a split view (same size, another root), and say so in their logs.
            var health = await EventuallyAsync(
                () => WitnessHealthAsync(second), h => keys.All(k => h.Description?.Contains($"conflict at witness {k.Name}", StringComparison.Ordinal) == true), "both conflicts in the forked node's health");
            Assert.Equal(HealthStatus.Unhealthy, health.Status);
            Assert.Equal(2, witnessLogs.Count(l => l.Id == 902 && l.Message.Contains(second.Node.Ledger.Origin, StringComparison.Ordinal)));
            Assert.All(keys, k => Assert.Contains(second.Logs.Records, r => r.EventId == 32 && r.Message.Contains(k.Name, StringComparison.Ordinal)));
            var served = await second.Log.GetCheckpointAsync(new GetCheckpointRequest());
            Assert.Empty(served.CosignedBy);

            // Each witness still holds the honest tree of size 3, and a receipt from the forked log fails the policy.
            foreach (var host in hosts)
            {
                using var http = new HttpClient { BaseAddress = host.Address };
                var origin = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(second.Node.Ledger.Origin)));
                var held = await http.GetStringAsync($"{origin}/checkpoint");
                Assert.NotEqual(SignedNote.TextOf(second.Node.Ledger.Latest.SignedNote), SignedNote.TextOf(held));
                Assert.StartsWith($"{second.Node.Ledger.Origin}\n3\n", held, StringComparison.Ordinal);
            }

            using var zip = new MemoryStream(await second.Http.GetByteArrayAsync($"/v1/entries/{index}/receipt.zip?wait=true"));
            await using var package = await ReceiptArchive.OpenAsync(zip);
            var trust = second.Trust();
            var report = await ReceiptVerifier.VerifyAsync(package.Evidence, new ReceiptTrust { LogKey = trust.LogKey, TsaCas = trust.TsaCas, Witnesses = policy });
            var step = report.Steps.Single(s => s.Name == "witnesses");
            Assert.True(step.Failed, step.ToString());
            Assert.Contains("0 valid cosignature(s) of the 2", step.Detail, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task<HealthReportEntry> WitnessHealthAsync(TestNode node) =>
        (await node.Node.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "witnesses")).Entries["witnesses"];

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last: {value}");
            await Task.Delay(50);
        }
    }

    /// <summary>Keeps each log entry's event ID and message.</summary>
    private sealed class QueueLoggerProvider(ConcurrentQueue<(int Id, string Message)> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(entries);

        public void Dispose()
        {
        }

        private sealed class QueueLogger(ConcurrentQueue<(int Id, string Message)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((eventId.Id, formatter(state, exception)));
        }
    }
}
