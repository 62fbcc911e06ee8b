using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using EvidenceChain.Cli.Tests.Node;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>evidencectl case ... and verify-case against a real node: the life cycle, the export verified offline, tampering caught.</summary>
public sealed class CaseCommandsTests(CliNode node) : IClassFixture<CliNode>
{
    private string TsaCa => Path.Combine(node.Node.DataPath, "keys", "tsa-ca.pem");

    private static string I(ulong index) => index.ToString(CultureInfo.InvariantCulture);

    private async Task<string> CreateAsync(string title = "Li v. Zhang")
    {
        var result = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "create", "--title", title, "--reference", "(2026) Hu 0101 Min Chu 123",
            "--party", "claimant:Li Wei", "--party", "respondent:Zhang Co. Ltd", "--json"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("create", root.GetProperty("event").GetProperty("action").GetString());
        return root.GetProperty("case").GetProperty("id").GetString()!;
    }

    private async Task<string> ExportAsync(string id)
    {
        var output = Path.Combine(node.NewFolder(), "case.zip");
        var result = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "export", id, "-o", output));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"wrote {output}: case {id}", result.OutLines[0], StringComparison.Ordinal);
        return output;
    }

    [Fact]
    public async Task Case_LifeCycle_ExportVerifiesWithVerifyCaseAndTheManifestWithNoteVerify()
    {
        var exhibit1 = await node.PreserveNewAsync();
        var exhibit2 = await node.PreserveNewAsync();
        var id = await CreateAsync();

        var attach = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "attach", id, I(exhibit1)));
        Assert.True(attach.ExitCode == 0, attach.ToString());
        Assert.Matches($"^case {id}: attach recorded as entry [0-9]+ \\(leaf hash [0-9a-f]{{64}}\\); the case is open with 1 item\\(s\\)$", attach.OutLines[0]);
        Assert.Equal(0, (await Cli.RunAsync(node.Args(node.SubmitterKey, "case", "attach", id, I(exhibit2)))).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "detach", id, I(exhibit1), "--reason", "duplicate"))).ExitCode);
        var note = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "note", id, "Hearing on 3 March"));
        Assert.True(note.ExitCode == 0, note.ToString());
        Assert.Equal(0, (await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "close", id, "--reason", "settled"))).ExitCode);

        var show = await Cli.RunAsync(node.Args(node.SubmitterKey, "case", "show", id));
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Equal($"case {id}  closed  Li v. Zhang", show.OutLines[0]);
        Assert.Contains(show.OutLines, l => l.StartsWith($"  entry {exhibit2}  ", StringComparison.Ordinal));
        Assert.Contains(show.OutLines, l => l.Contains("detach by", StringComparison.Ordinal) && l.Contains($"entry {exhibit1} \"duplicate\"", StringComparison.Ordinal));
        var list = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "list", "--status", "closed"));
        Assert.Contains(list.OutLines, l => l.StartsWith($"{id}  closed  1 item(s)", StringComparison.Ordinal));

        var zip = await ExportAsync(id);
        var verified = await Cli.RunAsync("verify-case", zip, "--log-key", node.LogKey, "--tsa-ca", TsaCa);

        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.StartsWith($"verified: case {id}, 1 item(s) and 7 event(s)", verified.OutLines[^1], StringComparison.Ordinal);
        Assert.Contains(verified.OutLines, l => l.StartsWith($"PASS item  {exhibit2}: item {exhibit2}, leaf hash ", StringComparison.Ordinal));
        Assert.Equal(7, verified.OutLines.Count(l => l.StartsWith("PASS event ", StringComparison.Ordinal)));
        Assert.DoesNotContain(verified.OutLines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        // The committed case title, opened by the export's disclosed.json, printed as verify prints it.
        Assert.Contains(verified.OutLines, l => l.StartsWith("    PASS disclosed: ", StringComparison.Ordinal) && l.Contains("title = \"Li v. Zhang\"", StringComparison.Ordinal));

        // VERIFY.txt names the zip as it was saved (-o), and gives the signed-note command for the manifest alone.
        var manifest = Path.Combine(node.NewFolder(), "manifest.note");
        using (var archive = ZipFile.OpenRead(zip))
        {
            archive.GetEntry("manifest.note")!.ExtractToFile(manifest);
            Assert.Contains("verify-case case.zip --log-key LOG.vkey --tsa-ca TSA-CA.pem", new StreamReader(archive.GetEntry("VERIFY.txt")!.Open()).ReadToEnd(), StringComparison.Ordinal);
        }

        Cli.AssertVerified(await Cli.RunAsync("note", "verify", "--key", node.LogKey, manifest));
    }

    [Fact]
    public async Task CaseShowAndList_Readable_ItemTitlesKindsActorDescriptionsAndQuery()
    {
        static string KeyId(string token) => token[..token.IndexOf('.', StringComparison.Ordinal)];
        var exhibit = await node.PreserveNewAsync();
        var title = "Readable " + Guid.NewGuid().ToString("N")[..8];
        var id = await CreateAsync(title);
        Assert.Equal(0, (await Cli.RunAsync(node.Args(node.SubmitterKey, "case", "attach", id, I(exhibit)))).ExitCode);

        var show = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "show", id));
        var list = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "list", "--query", title.ToUpperInvariant()));
        var none = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "list", "--query", "no such case " + Guid.NewGuid()));

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains(show.OutLines, l => l.StartsWith($"  entry {exhibit}  file  \"note.txt\"  attached ", StringComparison.Ordinal)
            && l.Contains($" by test ({KeyId(node.SubmitterKey)}) (event ", StringComparison.Ordinal));
        Assert.Contains(show.OutLines, l => l.StartsWith("created ", StringComparison.Ordinal) && l.EndsWith($" by test ({KeyId(node.CaseManagerKey)})", StringComparison.Ordinal));
        Assert.Contains(show.OutLines, l => l.Contains($"attach by test ({KeyId(node.SubmitterKey)}) entry {exhibit}", StringComparison.Ordinal));
        Assert.True(list.ExitCode == 0, list.ToString());
        var line = Assert.Single(list.OutLines);
        Assert.StartsWith($"{id}  open    1 item(s)", line, StringComparison.Ordinal);
        Assert.EndsWith("parties: Li Wei (claimant), Zhang Co. Ltd (respondent)", line, StringComparison.Ordinal);
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Empty(none.OutLines);
    }

    [Fact]
    public async Task VerifyCase_Policy_EveryReceiptMeetsItOrTheExportFails()
    {
        var id = await CreateAsync("Witnessed");
        await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "attach", id, I(await node.PreserveNewAsync())));
        var zip = await ExportAsync(id);
        var witness = Core.Notes.WitnessSigner.FromSeed("court.example/witness", Enumerable.Repeat((byte)5, 32).ToArray());
        var folder = node.NewFolder();
        var needsWitness = Path.Combine(folder, "court.policy");
        var none = Path.Combine(folder, "none.policy");
        await File.WriteAllTextAsync(needsWitness, $"witness court {witness.Key}\nquorum court\n");
        await File.WriteAllTextAsync(none, "quorum none\n");

        // This node has no witnesses: its checkpoints carry no cosignature, so a policy that needs one fails every receipt.
        var failed = await Cli.RunAsync("verify-case", zip, "--log-key", node.LogKey, "--tsa-ca", TsaCa, "--policy", needsWitness);
        var passed = await Cli.RunAsync("verify-case", zip, "--log-key", node.LogKey, "--tsa-ca", TsaCa, "--policy", none);

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains(failed.OutLines, l => l.StartsWith("FAIL item  ", StringComparison.Ordinal) && l.Contains("): witnesses: 0 valid cosignature(s) of the 1 the quorum needs (court)", StringComparison.Ordinal));
        Assert.DoesNotContain(failed.OutLines, l => l.StartsWith("PASS event", StringComparison.Ordinal));
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.EndsWith("every checkpoint cosigned as the witness policy requires (none)", passed.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCase_TamperedManifest_ExitsOneNamingTheSignature()
    {
        var id = await CreateAsync("Tampered");
        await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "attach", id, I(await node.PreserveNewAsync())));
        var zip = await ExportAsync(id);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            var member = archive.GetEntry("manifest.note")!;
            string text;
            using (var reader = new StreamReader(member.Open()))
            {
                text = reader.ReadToEnd();
            }

            member.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("manifest.note").Open());
            writer.Write(text.Replace("title Tampered", "title Tampere!", StringComparison.Ordinal));
        }

        var result = await Cli.RunAsync("verify-case", zip, "--log-key", node.LogKey, "--tsa-ca", TsaCa);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(result.OutLines, l => l.StartsWith("FAIL manifest signature: ", StringComparison.Ordinal));
        Assert.StartsWith("FAILED: ", result.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCase_AnotherLogKey_FailsAndJsonSaysSo()
    {
        var id = await CreateAsync("Wrong key");
        var zip = await ExportAsync(id);
        var other = (await File.ReadAllTextAsync(Path.Combine(node.Node.DataPath, "keys", "log.vkey"))).Trim();
        var forged = EvidenceChain.Core.Notes.NoteSigner.FromSeed(other.Split('+')[0], new byte[32]).VerifierKey.ToString();

        var result = await Cli.RunAsync("verify-case", zip, "--log-key", forged, "--tsa-ca", TsaCa, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.False(root.GetProperty("verified").GetBoolean());
        Assert.Contains(root.GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == "manifest signature" && s.GetProperty("result").GetString() == "fail");
    }

    [Fact]
    public async Task Case_SubmitterCreating_IsPermissionDenied()
    {
        var result = await Cli.RunAsync(node.Args(node.SubmitterKey, "case", "create", "--title", "Mine"));

        Cli.AssertNodeError(result, "PermissionDenied", "case-manager or admin");
    }

    [Fact]
    public async Task Case_AttachUnknownEntry_IsNotFound()
    {
        var id = await CreateAsync("Unknown entry");

        var result = await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "attach", id, "99999999"));

        Cli.AssertNodeError(result, "NotFound", "Entry 99999999 does not exist");
    }

    [Fact]
    public async Task Usage_Errors_ExitTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync("verify-case", "x.zip", "--log-key", node.LogKey), "--tsa-ca PEM is required");
        Cli.AssertUsage(await Cli.RunAsync("verify-case", "no-such.zip", "--log-key", node.LogKey, "--tsa-ca", TsaCa), "no-such.zip: no such file");
        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "attach", "c0123456789abcdef", "x")), "INDEX");
        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "create", "--title", "T", "--party", "nameless")), "ROLE:NAME");
        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "frobnicate")), "unknown command \"case frobnicate\"");
        Cli.AssertNodeError(await Cli.RunAsync(node.Args(node.CaseManagerKey, "case", "show", "nope")), "InvalidArgument", "is malformed", exitCode: 2);
    }
}
