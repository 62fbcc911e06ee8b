using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace EvidenceChain.Storage.Contract.Tests.Processes;

/// <summary>
/// Two real node processes on one postgres log: both take files while the sequencer is killed (SIGKILL) mid-ingest;
/// the other takes over within 5 s, and every acknowledged entry is in the log where its acknowledgement said.
/// </summary>
public sealed class FailoverTests(PostgresDatabaseFixture database, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>, INeedPostgres
{
    [ContractFact]
    public async Task TwoNodes_SequencerKilledMidIngest_OtherTakesOverWithin5s_EveryAcknowledgedEntryInTheLog()
    {
        using var temp = new TempFolder();
        var schema = database.NewSchema().Schema!;
        string dataA = temp.Sub("a"), dataB = temp.Sub("b");
        await using var a = await NodeProcess.StartAsync(dataA, database.ConnectionString, schema);
        // The second front-end gets the same keys folder (a mount, in a real deployment).
        Directory.CreateDirectory(Path.Combine(dataB, "keys"));
        foreach (var file in Directory.GetFiles(Path.Combine(dataA, "keys")))
        {
            File.Copy(file, Path.Combine(dataB, "keys", Path.GetFileName(file)));
        }

        await using var b = await NodeProcess.StartAsync(dataB, database.ConnectionString, schema);
        await b.WaitForOutputAsync("as a front-end", TimeSpan.FromSeconds(5));
        var adminKey = (await File.ReadAllTextAsync(Path.Combine(dataA, "keys", "admin.apikey"))).Trim();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using (var create = new HttpRequestMessage(HttpMethod.Post, new Uri(a.Http, "/v1/admin/keys")))
        {
            create.Content = new StringContent("""{"role":"submitter","description":"failover test"}""", System.Text.Encoding.UTF8, "application/json");
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            using var created = await http.SendAsync(create);
            using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("secret").GetString());
        }
        var acknowledged = new ConcurrentBag<(ulong Index, Hash LeafHash, ulong TreeSize)>();
        var ackedA = 0;
        var ackedB = 0;
        var ackedAfterKill = 0;
        var killed = false;
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();

        async Task IngestAsync(NodeProcess node, Func<int> counted)
        {
            var content = new byte[1024];
            while (!stop.IsCancellationRequested)
            {
                Random.Shared.NextBytes(content);
                try
                {
                    using var response = await http.PostAsync(new Uri(node.Http, "/v1/files?file_name=f.bin"), new ByteArrayContent(content), stop.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                        await Task.Delay(20, CancellationToken.None);
                        continue;
                    }

                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
                    var entry = json.RootElement.GetProperty("entry");
                    acknowledged.Add((ulong.Parse(entry.GetProperty("index").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                        Hash.Parse(entry.GetProperty("leafHash").GetString()!),
                        ulong.Parse(json.RootElement.GetProperty("treeSize").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
                    counted();
                    if (Volatile.Read(ref killed))
                    {
                        Interlocked.Increment(ref ackedAfterKill);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The killed node's connections fail; the stop cancels the rest.
                    await Task.Delay(20, CancellationToken.None);
                }
            }
        }

        var ingest = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => i % 2 == 0 ? IngestAsync(a, () => Interlocked.Increment(ref ackedA)) : IngestAsync(b, () => Interlocked.Increment(ref ackedB))))
            .ToArray();
        var clock = Stopwatch.StartNew();
        while ((Volatile.Read(ref ackedA) < 100 || Volatile.Read(ref ackedB) < 100) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        var beforeKill = (ackedA, ackedB);
        a.Kill();
        Volatile.Write(ref killed, true);
        var died = Stopwatch.StartNew();
        await b.WaitForOutputAsync("took over sequencing", TimeSpan.FromSeconds(5));
        var takeover = died.Elapsed;
        while (Volatile.Read(ref ackedAfterKill) < 100 && died.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Task.WhenAll(ingest);
        output.WriteLine($"acknowledged before the kill: {beforeKill.ackedA} by the sequencer, {beforeKill.ackedB} by the front-end; took over after {takeover.TotalMilliseconds:F0} ms; {ackedAfterKill} acknowledged after the kill");

        Assert.True(beforeKill.ackedA >= 100 && beforeKill.ackedB >= 100, $"before the kill: {beforeKill}; {string.Join("\n", failures.Take(3))}\n{b.Output}");
        Assert.True(takeover < TimeSpan.FromSeconds(5));
        Assert.True(ackedAfterKill >= 100, $"{ackedAfterKill} acknowledged after the kill\n{b.Output}");

        // Every acknowledged entry is in the log at its acknowledged index, and no index was acknowledged twice.
        var acks = acknowledged.ToArray();
        Assert.Equal(acks.Length, acks.Select(x => x.Index).Distinct().Count());
        using var client = new HttpClient { BaseAddress = b.Http };
        foreach (var (index, leafHash, treeSize) in acks)
        {
            Assert.True(index < treeSize);
            using var json = JsonDocument.Parse(await client.GetStringAsync($"/v1/entries/{index}"));
            Assert.Equal(leafHash, Hash.Parse(json.RootElement.GetProperty("leafHash").GetString()!));
        }

        // The checkpoint history: one per size, each consistent with the one before.
        var history = new List<(ulong Size, Hash Root)>();
        await using (var source = new NpgsqlDataSourceBuilder(database.ConnectionString) { ConnectionStringBuilder = { SearchPath = schema } }.Build())
        await using (var command = source.CreateCommand("SELECT size, note FROM checkpoint_history ORDER BY size"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var lines = reader.GetString(1).Split('\n');
                history.Add(((ulong)reader.GetInt64(0), new Hash(Convert.FromBase64String(lines[2]))));
            }
        }

        Assert.True(history[^1].Size >= (ulong)acks.Length);
        for (var i = 1; i < history.Count; i++)
        {
            var (size1, root1) = history[i - 1];
            var (size2, root2) = history[i];
            if (size1 == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(await client.GetStringAsync($"/v1/proofs/consistency?size1={size1}&size2={size2}"));
            var proof = json.RootElement.TryGetProperty("hashes", out var hashes) ? hashes.EnumerateArray().Select(h => Hash.Parse(h.GetString()!)).ToArray() : [];
            Assert.True(ConsistencyProof.Verify(size1, size2, root1, root2, proof).IsValid, $"checkpoints {size1} and {size2} are not consistent");
        }
    }
}
