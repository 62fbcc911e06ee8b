using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Notes;
using FsCheck;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Notes;

public sealed class WitnessPolicyTests
{
    private static readonly NoteVerifier LogKey = NoteSigner.FromSeed("example.com/log", Seed(200)).VerifierKey;

    [Fact]
    public void Parse_SpecShapedExample_ReadsLogsWitnessesGroupsAndQuorum()
    {
        var text = $"""
            # two organisations, nested groups
            log {LogKey} https://log.example/
              witness X1 {Vkey("x1.example", 1)}
            witness	X2 {Vkey("x2.example", 2)}   https://x2.example/witness
            witness X3 {Vkey("x3.example", 3)}
            group X-witnesses 2 X1 X2 X3

            witness Y1 {Vkey("y1.example", 4)}
            witness Y2 {Vkey("y2.example", 5)}
            group Y-witnesses any Y1 Y2
            group X-and-Y all X-witnesses Y-witnesses
            quorum X-and-Y
            """;

        var policy = WitnessPolicy.Parse(text);

        Assert.Equal(LogKey, Assert.Single(policy.Logs).Key);
        Assert.Equal(new Uri("https://log.example/"), policy.Logs[0].Url);
        Assert.Equal(["X1", "X2", "X3", "Y1", "Y2"], policy.Witnesses.Select(w => w.Name));
        Assert.Equal("x2.example", policy.Witnesses[1].Key.Name);
        Assert.Equal("https://x2.example/witness", policy.Witnesses[1].Url?.OriginalString);
        Assert.Equal([2, 1, 2], policy.Groups.Select(g => g.Threshold));
        Assert.Equal("X-and-Y", policy.Quorum);
        Assert.True(policy.RequiresCosignatures);
        Assert.Equal("all of X-witnesses (2 of X1, X2, X3), Y-witnesses (1 of Y1, Y2)", policy.DescribeQuorum());
    }

    [Theory]
    [InlineData("X1 X2 Y1", true)]
    [InlineData("X1 X3 Y2", true)]
    [InlineData("X1 X2", false)] // no Y
    [InlineData("X1 Y1 Y2", false)] // one X only
    [InlineData("", false)]
    [InlineData("X1 X2 Y9", false)] // a name the policy does not list counts for nothing
    public void IsMetBy_NestedGroups_FollowsThresholds(string witnessed, bool met)
    {
        var policy = WitnessPolicy.Parse($"""
            witness X1 {Vkey("x1", 1)}
            witness X2 {Vkey("x2", 2)}
            witness X3 {Vkey("x3", 3)}
            group X 2 X1 X2 X3
            witness Y1 {Vkey("y1", 4)}
            witness Y2 {Vkey("y2", 5)}
            group Y any Y1 Y2
            group XY all X Y
            quorum XY
            """);

        Assert.Equal(met, policy.IsMetBy(witnessed.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet()));
    }

    [Fact]
    public void IsMetBy_QuorumNone_NeedsNothing()
    {
        var policy = WitnessPolicy.Parse("quorum none\n");

        Assert.False(policy.RequiresCosignatures);
        Assert.True(policy.IsMetBy(new HashSet<string>()));
        Assert.Equal("none", policy.DescribeQuorum());
    }

    [Fact]
    public void IsMetBy_SingleWitnessQuorum_NeedsThatWitness()
    {
        var policy = WitnessPolicy.Parse($"witness court {Vkey("court.example", 1)}\nquorum court\n");

        Assert.True(policy.IsMetBy(new HashSet<string> { "court" }));
        Assert.False(policy.IsMetBy(new HashSet<string> { "other" }));
        Assert.Equal("court", policy.DescribeQuorum());
    }

    [Fact]
    public void IsMetBy_GroupsSharedByManyGroups_StaysLinear()
    {
        // Each group holds the two before it: evaluated recursively this is a Fibonacci-sized tree (~2^69 visits).
        var text = new StringBuilder($"witness a {Vkey("a", 1)}\nwitness b {Vkey("b", 2)}\ngroup g0 any a b\ngroup g1 any a g0\n");
        for (var i = 2; i < WitnessPolicy.MaxEntries; i++)
        {
            text.Append($"group g{i} all g{i - 1} g{i - 2}\n");
        }

        var policy = WitnessPolicy.Parse(text.Append($"quorum g{WitnessPolicy.MaxEntries - 1}\n").ToString());

        Assert.True(policy.IsMetBy(new HashSet<string> { "a" }));
        Assert.False(policy.IsMetBy(new HashSet<string>()));
        Assert.True(policy.DescribeQuorum().Length < 10_000);
    }

    [Theory]
    [InlineData("witness a {A}\nwitness b {A2}\ngroup g 1 a b\nquorum g\n", "line 2: duplicate witness: b has the same public key as a (line 1)")]
    [InlineData("witness a {A}\nwitness a {B}\nquorum a\n", "line 2: the name \"a\" is already defined on line 1")]
    [InlineData("witness a {A}\ngroup g 1 a b\nquorum g\n", "line 2: group g: unknown member \"b\"")]
    [InlineData("witness a {A}\nwitness b {B}\ngroup g 3 a b\nquorum g\n", "line 3: group g: k = 3 is more than its 2 member(s)")]
    [InlineData("witness a {A}\nwitness b {B}\ngroup g 0 a b\nquorum g\n", "line 3: group g: k = 0; k must be at least 1")]
    [InlineData("witness a {A}\ngroup g -1 a\nquorum g\n", "line 2: group g: the threshold \"-1\" is not all, any or a decimal number")]
    [InlineData("witness a {A}\ngroup g 01 a\nquorum g\n", "line 2: group g: the threshold \"01\" is not all, any or a decimal number")]
    [InlineData("witness a {A}\ngroup g 99999999999 a\nquorum g\n", "line 2: group g: k = 99999999999 is more than its 1 member(s)")]
    [InlineData("witness a not-a-key\nquorum a\n", "line 1: bad key for witness a: ")]
    [InlineData("witness a {LOG}\nquorum a\n", "line 1: bad key for witness a: ")]
    [InlineData("log {A}\nquorum none\n", "line 1: bad log key ")]
    [InlineData("log {LOG}\nlog {LOG}\nquorum none\n", "line 2: duplicate log: the key of example.com/log is already listed on line 1")]
    [InlineData("witness a {A}\nwitness b {B}\ngroup g 1 a b a\nquorum g\n", "line 3: group g: member \"a\" is listed twice")]
    [InlineData("witness a {A}\ngroup g any none\nquorum g\n", "line 2: group g: \"none\" cannot be a group member")]
    [InlineData("witness none {A}\nquorum none\n", "line 1: \"none\" is predefined and cannot name a witness or group")]
    [InlineData("witness a {A}\ngroup g any\nquorum g\n", "line 2: expected \"group NAME all|any|K MEMBER...\" with at least one member")]
    [InlineData("quorum a\nwitness a {A}\n", "line 1: unknown quorum \"a\"")]
    [InlineData("witness a {A}\nquorum a\nquorum none\n", "line 3: a second quorum line (the first is line 2); a policy has exactly one")]
    [InlineData("witness a {A}\n", "no quorum line: a policy needs exactly one")]
    [InlineData("", "no quorum line")]
    [InlineData("witnes a {A}\nquorum a\n", "line 1: unknown keyword \"witnes\"")]
    [InlineData("witness a {A}\r\nquorum a\n", "line 1: carriage return (CR): lines end with a newline (LF) only")]
    [InlineData("witness a {A}\nquorum a\u0001\n", "line 2: control character U+0001")]
    [InlineData("witness a {A} ftp://x.example/\nquorum a\n", "line 1: \"ftp://x.example/\" is not an absolute http or https URL")]
    [InlineData("witness a {A} https://user:pw@x.example/\nquorum a\n", "line 1: \"https://user:pw@x.example/\" is not an absolute http or https URL")]
    [InlineData("witness a {A} https://x.example/ extra\nquorum a\n", "line 1: expected \"witness NAME VKEY [URL]\"")]
    [InlineData("witness a {A}\nquorum a # trailing comments are not comments\n", "line 2: expected \"quorum NAME\"")]
    [InlineData("\uFEFFquorum none\n", "line 1: the file starts with a byte order mark")]
    public void Parse_BadPolicy_FailsWithOneLineReason(string template, string expected)
    {
        var text = template
            .Replace("{A}", Vkey("a.example", 1), StringComparison.Ordinal)
            .Replace("{A2}", Vkey("other-name.example", 1), StringComparison.Ordinal)
            .Replace("{B}", Vkey("b.example", 2), StringComparison.Ordinal)
            .Replace("{LOG}", LogKey.ToString(), StringComparison.Ordinal);

        var e = Assert.Throws<FormatException>(() => WitnessPolicy.Parse(text));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(WitnessPolicy.TryParse(text, out _, out var error));
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void Parse_TooManyWitnesses_Fails()
    {
        var text = new StringBuilder();
        for (var i = 0; i <= WitnessPolicy.MaxEntries; i++)
        {
            text.Append($"witness w{i} {Vkey($"w{i}", (byte)i)}\n");
        }

        var e = Assert.Throws<FormatException>(() => WitnessPolicy.Parse(text.Append("quorum w0\n").ToString()));

        Assert.Equal($"line {WitnessPolicy.MaxEntries + 1}: more than {WitnessPolicy.MaxEntries} witnesses", e.Message);
    }

    [Fact]
    public void Parse_Bytes_RefusesInvalidUtf8AndOversizedFiles()
    {
        var bad = Encoding.UTF8.GetBytes("quorum none\n# ").Concat(new byte[] { 0xff, 0x0a }).ToArray();

        Assert.Equal("the policy is not UTF-8 (at byte 14)", Assert.Throws<FormatException>(() => WitnessPolicy.Parse(bad.AsSpan())).Message);
        Assert.StartsWith("the policy is 65537 bytes", Assert.Throws<FormatException>(() => WitnessPolicy.Parse(new byte[WitnessPolicy.MaxBytes + 1].AsSpan())).Message, StringComparison.Ordinal);
        Assert.Equal("none", WitnessPolicy.Parse("# 中文注释\nquorum none"u8).Quorum); // non-ASCII comments, no final newline
    }

    [Fact]
    public void FromThreshold_KOfN_IsOneGroupAsQuorum()
    {
        var witnesses = new[] { Witness("court-a", 1), Witness("court-b", 2), Witness("notary", 3) };

        var policy = WitnessPolicy.FromThreshold(2, witnesses, [new PolicyLog(LogKey)]);

        Assert.Equal(
            $"log {LogKey}\nwitness court-a {witnesses[0].Key}\nwitness court-b {witnesses[1].Key}\nwitness notary {witnesses[2].Key}\ngroup witnesses 2 court-a court-b notary\nquorum witnesses\n",
            policy.ToString());
        Assert.Equal("2 of court-a, court-b, notary", policy.DescribeQuorum());
        Assert.True(policy.IsMetBy(new HashSet<string> { "court-b", "notary" }));
        Assert.False(policy.IsMetBy(new HashSet<string> { "court-b" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => WitnessPolicy.FromThreshold(0, witnesses));
        Assert.Throws<ArgumentOutOfRangeException>(() => WitnessPolicy.FromThreshold(4, witnesses));
        Assert.Throws<ArgumentException>(() => WitnessPolicy.FromThreshold(1, []));
        Assert.Throws<ArgumentException>(() => WitnessPolicy.FromThreshold(1, [witnesses[0], witnesses[0] with { Name = "again" }]));
    }

    [Property(MaxTest = 200)]
    public void ToString_ThenParse_RoundTrips(PositiveInt witnessCount, int[] thresholds, bool withLog, bool withUrls)
    {
        // A random policy: n witnesses, then groups over random earlier names with random valid thresholds.
        var random = new Random(witnessCount.Get ^ (thresholds?.Length ?? 0));
        var n = 1 + (witnessCount.Get % 12);
        var text = new StringBuilder(withLog ? $"log {LogKey}\n" : string.Empty);
        var names = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var url = withUrls && i % 2 == 0 ? $" https://w{i}.example/witness" : string.Empty;
            text.Append($"witness w{i}\t{Vkey($"w{i}.example", (byte)i)}{url}\n");
            names.Add($"w{i}");
        }

        foreach (var (t, g) in (thresholds ?? []).Take(10).Select((t, g) => (t, g)))
        {
            var members = names.OrderBy(_ => random.Next()).Take(1 + random.Next(names.Count)).ToList();
            var k = 1 + (int)(unchecked((uint)t) % (uint)members.Count);
            text.Append($"  group g{g} {(k == members.Count && t % 3 == 0 ? "all" : k == 1 && t % 3 == 1 ? "any" : k)} {string.Join(' ', members)}\n# comment {t}\n\n");
            names.Add($"g{g}");
        }

        text.Append($"quorum {names[random.Next(names.Count)]}\n");
        var policy = WitnessPolicy.Parse(text.ToString());

        var canonical = policy.ToString();
        var again = WitnessPolicy.Parse(canonical);

        Assert.Equal(canonical, again.ToString());
        Assert.Equal(policy.DescribeQuorum(), again.DescribeQuorum());
        var everyone = policy.Witnesses.Select(w => w.Name).ToHashSet();
        Assert.True(again.IsMetBy(everyone));
        Assert.False(again.IsMetBy(new HashSet<string>()));
    }

    [Property(MaxTest = 500)]
    public void TryParse_ArbitraryText_NeverThrows(string? text)
    {
        if (WitnessPolicy.TryParse(text, out var policy, out _))
        {
            Assert.Equal(policy.ToString(), WitnessPolicy.Parse(policy.ToString()).ToString());
        }
    }

    [Property(MaxTest = 300)]
    public void TryParse_MutatedValidPolicy_NeverThrows(byte[] noise, int at)
    {
        var valid = $"witness a {Vkey("a", 1)}\nwitness b {Vkey("b", 2)}\ngroup g 2 a b\nquorum g\n";
        var position = (int)(unchecked((uint)at) % (uint)valid.Length);
        var mutated = valid[..position] + Encoding.Latin1.GetString(noise ?? []) + valid[position..];

        var parsed = WitnessPolicy.TryParse(mutated, out _, out var error);

        Assert.True(parsed || (error.Length > 0 && !error.Contains('\n', StringComparison.Ordinal)));
    }

    internal static byte[] Seed(byte b) => Enumerable.Repeat(b, 32).ToArray();

    /// <summary>The vkey text of a witness key: name+hex8+base64(0x04 || Ed25519 public key), key ID by the spec's formula.</summary>
    internal static string Vkey(string name, byte seed)
    {
        var publicKey = NoteSigner.FromSeed("k", Seed(seed)).VerifierKey.PublicKey.ToArray();
        var input = Encoding.UTF8.GetBytes(name + "\n").Concat(new byte[] { 0x04 }).Concat(publicKey).ToArray();
        var keyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
        return $"{name}+{keyId:x8}+{Convert.ToBase64String([0x04, .. publicKey])}";
    }

    private static PolicyWitness Witness(string name, byte seed) => new(name, WitnessKey.Parse(Vkey(name + ".example", seed)));
}
