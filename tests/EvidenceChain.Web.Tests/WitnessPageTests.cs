using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Web.Tests.Infrastructure;

namespace EvidenceChain.Web.Tests;

/// <summary>
/// The witnesses step on the page: the node's receipt, its checkpoint cosigned here by two of three witnesses (real
/// keys), verified in chromium with a dropped 2-of-3 policy (met) and a policy the cosignatures do not meet.
/// </summary>
public sealed class WitnessPageTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private static readonly WitnessSigner CourtA = Witness("court-a.example/witness", 51);
    private static readonly WitnessSigner CourtB = Witness("court-b.example/witness", 52);
    private static readonly WitnessSigner Notary = Witness("notary.example/witness", 53);

    [ChromiumFact]
    public async Task CosignedReceipt_PolicyMet_WitnessesPassAndAreListed()
    {
        var receipt = Cosigned("met.evidence.zip");
        var policy = Policy("court.policy", 2, ("court-a", CourtA), ("court-b", CourtB), ("notary", Notary));
        await using var session = await fixture.OpenAsync();

        var verdict = await session.VerifyAsync(receipt, policy);
        await session.ScreenshotAsync("witnesses-met-1280");

        Assert.Equal("pass", verdict);
        var steps = await session.StepsAsync();
        Assert.Equal("pass", steps["witnesses"]);
        Assert.Equal("pass", steps["checkpoint signature"]);
        Assert.Equal("2 of court-a, court-b, notary", await session.Page.InnerTextAsync("#policy-quorum"));
        Assert.Equal("pass", await session.Page.GetAttributeAsync("#witnesses", "data-result"));
        var cosigned = await session.Page.EvalOnSelectorAllAsync<string[]>("[data-cosigned]", "e => e.map(x => x.dataset.cosigned)");
        Assert.Equal(["court-a", "notary"], cosigned);
        Assert.Contains("court-a.example/witness", await session.Page.InnerTextAsync("#witnesses"), StringComparison.Ordinal);
        Assert.DoesNotContain(session.Requests, r => r.Method != "GET"); // nothing is uploaded

        // The Chinese page names the step in Chinese beside the CLI name; at phone width nothing scrolls sideways.
        await using var phone = await fixture.OpenAsync(width: 390, locale: "zh-CN");
        Assert.Equal("pass", await phone.VerifyAsync(receipt, policy));
        await phone.ScreenshotAsync("witnesses-met-390-zh");
        Assert.Contains("见证人联署", await phone.Page.InnerTextAsync("[data-step='witnesses']"), StringComparison.Ordinal);
        Assert.False(await phone.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "the page scrolls sideways at 390 px");
    }

    [ChromiumFact]
    public async Task CosignedReceipt_PolicyNotMet_FailsWithTheReason()
    {
        var receipt = Cosigned("unmet.evidence.zip");
        var other = Witness("other.example/witness", 54);
        var policy = Policy("strict.policy", 2, ("court-b", CourtB), ("notary", Notary), ("other", other));
        await using var session = await fixture.OpenAsync();

        var verdict = await session.VerifyAsync(receipt, policy);
        await session.ScreenshotAsync("witnesses-unmet-1280");

        Assert.Equal("fail", verdict);
        var steps = await session.StepsAsync();
        Assert.Equal("fail", steps["witnesses"]);
        Assert.Equal("pass", steps["timestamp"]);
        var reason = await session.Page.InnerTextAsync("#verdict-reason");
        Assert.Contains("witnesses: 1 valid cosignature(s) of the 2 the quorum needs (2 of court-b, notary, other)", reason, StringComparison.Ordinal);
        Assert.Contains("missing: court-b, other", reason, StringComparison.Ordinal);
        Assert.Equal("fail", await session.Page.GetAttributeAsync("#witnesses", "data-result"));

        await using var phone = await fixture.OpenAsync(width: 390);
        Assert.Equal("fail", await phone.VerifyAsync(receipt, policy));
        await phone.ScreenshotAsync("witnesses-unmet-390");
    }

    [ChromiumFact]
    public async Task BadPastedPolicy_IsRefusedWithItsLine()
    {
        await using var session = await fixture.OpenAsync();

        await session.PinAsync($"witness a {CourtA.Key}\nwitness b {CourtA.Key}\nquorum a\n");

        Assert.Contains("not a valid witness policy: line 2: duplicate witness: b has the same public key as a (line 1)", await session.Page.InnerTextAsync("#anchor-message"), StringComparison.Ordinal);
        Assert.Equal(0, await session.Page.Locator("[data-anchor='witness-policy']").CountAsync());
    }

    private static WitnessSigner Witness(string name, byte seed) =>
        WitnessSigner.FromSeed(name, Enumerable.Repeat(seed, WitnessSigner.SeedSize).ToArray());

    /// <summary>The fixture's receipt with court-a and notary cosigning its checkpoint (lines appended to the proof's note).</summary>
    private string Cosigned(string name) => fixture.Tamper(fixture.Receipt, name, "proof.tlog-proof", bytes =>
    {
        var proof = TlogProof.Parse(bytes);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var cosigned = proof.Checkpoint
            + Cosignature.Sign(CourtA, now, proof.CheckpointText)
            + Cosignature.Sign(Notary, now, proof.CheckpointText);
        return new TlogProof(proof.Index, proof.Hashes.ToArray(), cosigned).ToBytes();
    });

    private string Policy(string name, int k, params (string Name, WitnessSigner Signer)[] witnesses)
    {
        var path = Path.Combine(fixture.Folder, name);
        File.WriteAllText(path, WitnessPolicy.FromThreshold(k, witnesses.Select(w => new PolicyWitness(w.Name, w.Signer.Key))).ToString().Replace("group witnesses", "# k of n\ngroup witnesses", StringComparison.Ordinal));
        return path;
    }
}
