using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Node.IntegrationTests.Cases;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Storage;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Witness;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Issue 19's test of the log side: three real witnesses (<see cref="WitnessHost"/>, what <c>evidencectl witness serve</c>
/// runs, each on its own Kestrel with its own key and state folder) and a node with the policy 2 of 3.
/// </summary>
public sealed class WitnessHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CallOptions Wait => new(deadline: DateTime.UtcNow.AddSeconds(60));

    private static List<string> CosignedBy(string note, IEnumerable<WitnessKey> keys)
    {
        var body = SignedNote.TextOf(note)!;
        var lines = note[body.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Cosignature.TryParseLine(l + "\n", out var line) ? line : null)
            .OfType<NoteSignature>()
            .ToList();
        return [.. keys.Where(k => lines.Any(l => Cosignature.TryVerify(k, body, l, out _))).Select(k => k.Name)];
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
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

    private static async Task<HealthReportEntry> WitnessHealthAsync(TestNode node) =>
        (await node.Node.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "witnesses")).Entries["witnesses"];

    private static async Task<HealthCheckResponse.Types.ServingStatus> ServingAsync(TestNode node) =>
        (await new Health.HealthClient(node.Channel).CheckAsync(new HealthCheckRequest { Service = "witnesses" })).Status;

    private static async Task<(ulong Index, List<string> CosignedBy)> PreserveAndReceiptAsync(TestNode node, string key, int seed, WitnessKey[] keys)
    {
        var preserved = await PreserveAsync(node, key, Bytes(200, seed));
        var receipt = await node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = preserved.Entry.Index, Wait = true }, Wait);
        var proof = await Timestamps.AssertValidAsync(receipt, preserved.Entry.Index, node, node.TsaCaPath()); // under the log key alone
        return (preserved.Entry.Index, CosignedBy(TlogProof.Parse(Encoding.UTF8.GetBytes(receipt.TlogProof)).Checkpoint, keys));
    }

    // The receipt.zip a court downloads, through the Verifier with the 2-of-3 policy pinned: its witnesses step.
    private static async Task<VerificationStep> WitnessStepAsync(TestNode node, ulong index, WitnessPolicy policy)
    {
        using var zip = new MemoryStream(await node.Http.GetByteArrayAsync($"/v1/entries/{index}/receipt.zip?wait=true"));
        await using var package = await ReceiptArchive.OpenAsync(zip);
        var trust = node.Trust();
        var report = await ReceiptVerifier.VerifyAsync(package.Evidence, new ReceiptTrust { LogKey = trust.LogKey, TsaCas = trust.TsaCas, Witnesses = policy });
        Assert.All(report.Steps.Where(s => s.Name != "witnesses"), s => Assert.False(s.Failed, s.ToString()));
        return report.Steps.Single(s => s.Name == "witnesses");
    }

    [Fact]
    public async Task ThreeWitnessHosts_TwoOfThree_CosignedWithOneDown_UnmetWithTwoDown_CosignedAgainWhenOneReturns()
    {
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        var log = NoteSigner.FromSeed("witnesshosts.test/log", RandomNumberGenerator.GetBytes(NoteSigner.SeedSize));
        LogKeyFiles.Write(Path.Combine(data, "keys"), log);
        var hosts = new WitnessHost?[3];
        var folders = new string[3];
        try
        {
            var settings = new List<string>
            {
                "--Witnesses:Quorum", "2", "--Witnesses:MinInterval", "00:00:00.050", "--Witnesses:RequestTimeout", "00:00:02",
                "--Witnesses:MaxRetryDelay", "00:00:01", "--Witnesses:MaxLag", "00:00:10",
            };
            for (var i = 0; i < 3; i++)
            {
                folders[i] = temp.Sub(string.Create(CultureInfo.InvariantCulture, $"witness{i + 1}"));
                hosts[i] = await WitnessHost.StartAsync("127.0.0.1:0", folders[i], string.Create(CultureInfo.InvariantCulture, $"witnesshosts.test/w{i + 1}"), [log.VerifierKey]);
                settings.AddRange([$"--Witnesses:List:{i}:Key", hosts[i]!.Key.ToString(), $"--Witnesses:List:{i}:Url", hosts[i]!.Address.ToString()]);
            }

            var keys = hosts.Select(h => h!.Key).ToArray();
            var addresses = hosts.Select(h => h!.Address).ToArray();
            await using var node = await TestNode.StartAsync(data, [.. settings]);
            var submitter = await node.CreateKeyAsync("submitter");

            // All up: cosigned by at least two.
            var policy = WitnessPolicy.FromThreshold(2, [.. keys.Select(k => new PolicyWitness(k.Name, k))], [new PolicyLog(log.VerifierKey)]);
            var (first, all) = await PreserveAndReceiptAsync(node, submitter, 1, keys);
            Assert.True(all.Count >= 2, string.Join(", ", all));
            var met = await WitnessStepAsync(node, first, policy);
            Assert.True(met.Passed, met.ToString());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ServingAsync(node));

            // A case export carries the cosigned checkpoint too: every entry and event in it meets the policy.
            var manager = await node.CreateKeyAsync("case-manager");
            var caseId = (await node.CreateAsync(manager, "Witnessed", "W-1")).Case.Id;
            await node.AttachAsync(manager, caseId, first);
            var exported = await EventuallyAsync(
                async () =>
                {
                    var (_, zip) = await node.ExportAsync(manager, caseId);
                    using var stream = new MemoryStream(zip);
                    return await CaseExportVerifier.VerifyAsync(stream, new ReceiptTrust { LogKey = node.Trust().LogKey, TsaCas = node.Trust().TsaCas, Witnesses = policy });
                },
                r => r.Entries.Count >= 3 && r.Entries.All(e => e.Report.Steps.Any(s => s.Name == "witnesses" && s.Passed)),
                "a case export whose every entry's checkpoint is cosigned by two");
            Assert.True(exported.IsValid, CaseLifecycleTests.Describe(exported));

            // One down: still cosigned by the other two.
            await hosts[0]!.DisposeAsync();
            hosts[0] = null;
            var (second, oneDown) = await PreserveAndReceiptAsync(node, submitter, 2, keys);
            if (oneDown.Count < 2)
            {
                // A loaded machine can take longer than Witnesses:ReceiptWait for the round: asked again, the receipt is cosigned.
                oneDown = await EventuallyAsync(
                    async () => CosignedBy(TlogProof.Parse(Encoding.UTF8.GetBytes((await node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = second, Wait = true }, Wait)).TlogProof)).Checkpoint, keys),
                    c => c.Count >= 2,
                    "a receipt cosigned by the two witnesses still up");
            }

            Assert.Equal([keys[1].Name, keys[2].Name], oneDown);
            Assert.True((await WitnessStepAsync(node, second, policy)).Passed);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ServingAsync(node));

            // Two down: receipts made now carry fewer cosignatures than the policy needs, and health says so.
            node.ExpectError(103, "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", "Health check witnesses with status Unhealthy");
            await hosts[1]!.DisposeAsync();
            hosts[1] = null;
            await PreserveAsync(node, submitter, Bytes(10, seed: 3));
            var unmet = await EventuallyAsync(() => WitnessHealthAsync(node), h => h.Status == HealthStatus.Unhealthy, "the policy to be unmet");
            var (index, twoDown) = await PreserveAndReceiptAsync(node, submitter, 4, keys);
            Assert.True(twoDown.Count < 2, string.Join(", ", twoDown));
            var unmetStep = await WitnessStepAsync(node, index, policy); // made while two were down: it does not verify
            Assert.True(unmetStep.Failed, unmetStep.ToString());
            Assert.Contains("of the 2 the quorum needs", unmetStep.Detail, StringComparison.Ordinal);
            Assert.Contains("missing: ", unmetStep.Detail, StringComparison.Ordinal);
            Assert.Contains("1 of the 2 witnesses needed", unmet.Description, StringComparison.Ordinal);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await ServingAsync(node));

            // The first witness comes back (same key, state and address): the receipt asked for again is cosigned.
            hosts[0] = await WitnessHost.StartAsync(addresses[0].Authority, folders[0], null, [log.VerifierKey]);
            var refreshed = await EventuallyAsync(
                () => node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = index, Wait = true }, Wait).ResponseAsync,
                r => CosignedBy(TlogProof.Parse(Encoding.UTF8.GetBytes(r.TlogProof)).Checkpoint, keys).Count >= 2,
                "a receipt at a checkpoint cosigned by two");
            await Timestamps.AssertValidAsync(refreshed, index, node, node.TsaCaPath());
            Assert.True((await WitnessStepAsync(node, index, policy)).Passed); // the refreshed receipt verifies
            Assert.Equal([keys[0].Name, keys[2].Name], CosignedBy(TlogProof.Parse(Encoding.UTF8.GetBytes(refreshed.TlogProof)).Checkpoint, keys));
            await EventuallyAsync(() => ServingAsync(node), s => s == HealthCheckResponse.Types.ServingStatus.Serving, "the policy to be met again");
        }
        finally
        {
            foreach (var host in hosts.OfType<WitnessHost>())
            {
                await host.DisposeAsync();
            }
        }
    }
}
