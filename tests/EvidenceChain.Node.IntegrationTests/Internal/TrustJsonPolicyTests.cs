using EvidenceChain.Core.Notes;
using EvidenceChain.Node.Http;
using Microsoft.Extensions.Configuration;

namespace EvidenceChain.Node.IntegrationTests.Internal;

/// <summary>The witness policy /trust.json publishes for the verification page, from the node's Witnesses settings.</summary>
public sealed class TrustJsonPolicyTests
{
    private static readonly string LogKey = NoteSigner.FromSeed("node.test/log", Enumerable.Repeat((byte)3, 32).ToArray()).VerifierKey.ToString();

    private static WitnessKey Key(string name, byte seed) => WitnessSigner.FromSeed(name, Enumerable.Repeat(seed, 32).ToArray()).Key;

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void WitnessPolicyText_KOfNSettings_IsTheTlogPolicyWithTheLogKey()
    {
        var a = Key("court-a.example/w", 1);
        var b = Key("court-b.example/w", 2);
        var c = Key("notary.example/w", 3);
        var settings = Settings(
            ("Witnesses:List:0:Key", a.ToString()), ("Witnesses:List:0:Url", "https://court-a.example/w"),
            ("Witnesses:List:1:Key", b.ToString()), ("Witnesses:List:1:Url", "https://court-b.example/w"),
            ("Witnesses:List:2:Key", c.ToString()), ("Witnesses:List:2:Url", "http://127.0.0.1:9/"),
            ("Witnesses:Quorum", "2"));

        var text = WebPage.WitnessPolicyText(settings, LogKey);

        Assert.Equal(
            $"log {LogKey}\nwitness court-a.example/w {a} https://court-a.example/w\nwitness court-b.example/w {b} https://court-b.example/w\n"
            + $"witness notary.example/w {c} http://127.0.0.1:9/\ngroup witnesses 2 court-a.example/w court-b.example/w notary.example/w\nquorum witnesses\n",
            text);
        Assert.Equal("2 of court-a.example/w, court-b.example/w, notary.example/w", WitnessPolicy.Parse(text!).DescribeQuorum());
    }

    [Fact]
    public void WitnessPolicyText_NoQuorumSetting_RequiresAll()
    {
        var settings = Settings(
            ("Witnesses:List:0:Key", Key("a.example/w", 1).ToString()), ("Witnesses:List:0:Url", "https://a.example/w"),
            ("Witnesses:List:1:Key", Key("b.example/w", 2).ToString()), ("Witnesses:List:1:Url", "https://b.example/w"));

        Assert.Equal("all of a.example/w, b.example/w", WitnessPolicy.Parse(WebPage.WitnessPolicyText(settings, LogKey)!).DescribeQuorum());
    }

    [Fact]
    public void WitnessPolicyText_NoWitnessesOrBadSettings_IsNull()
    {
        Assert.Null(WebPage.WitnessPolicyText(Settings(), LogKey));
        Assert.Null(WebPage.WitnessPolicyText(Settings(("Witnesses:List:0:Key", "not a key")), LogKey));
        Assert.Null(WebPage.WitnessPolicyText(Settings(("Witnesses:List:0:Key", Key("a.example/w", 1).ToString()), ("Witnesses:Quorum", "2")), LogKey));
        Assert.Null(WebPage.WitnessPolicyText(Settings(("Witnesses:List:0:Key", Key("a.example/w", 1).ToString())), LogKey)); // no URL: refused at start
    }
}
