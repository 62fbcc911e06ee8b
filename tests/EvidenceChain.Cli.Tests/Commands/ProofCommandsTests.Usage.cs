using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>Malformed proof commands exit 2 with a message that names the offending option.</summary>
public sealed partial class ProofCommandsTests
{
    /// <summary>A verifying inclusion command for leaf 1 of 3, to break one piece of at a time.</summary>
    private static List<string> GoodInclusion()
    {
        var leaves = Leaves(3);
        var (root, proof) = Inclusion(leaves, 1);
        return [.. InclusionArgs(leaves[1], 1, 3, root, proof)];
    }

    private static List<string> With(List<string> args, string option, string value)
    {
        var copy = new List<string>(args);
        copy[copy.IndexOf(option) + 1] = value;
        return copy;
    }

    private static List<string> Without(List<string> args, string option)
    {
        var copy = new List<string>(args);
        copy.RemoveRange(copy.IndexOf(option), 2);
        return copy;
    }

    [Fact]
    public async Task Inclusion_GoodArguments_ExitsZero()
    {
        Cli.AssertVerified(await Cli.RunAsync([.. GoodInclusion()]));
    }

    [Theory]
    [InlineData("--root", "zz")]
    [InlineData("--leaf-hash", "")]
    public async Task Inclusion_HashNotHex_ExitsTwoNamingOption(string option, string prefix)
    {
        var args = GoodInclusion();
        var good = args[args.IndexOf(option) + 1];
        var bad = prefix + good[prefix.Length..^1] + "g";

        var result = await Cli.RunAsync([.. With(args, option, bad)]);

        Cli.AssertUsage(result, $"{option} must be a hash as 64 hex digits; got \"{bad}\"");
    }

    [Theory]
    [InlineData("--root")]
    [InlineData("--leaf-hash")]
    public async Task Inclusion_Hash63HexDigits_ExitsTwoNamingOption(string option)
    {
        var args = GoodInclusion();
        var short63 = args[args.IndexOf(option) + 1][..63];

        var result = await Cli.RunAsync([.. With(args, option, short63)]);

        Cli.AssertUsage(result, $"{option} must be a hash as 64 hex digits; got \"{short63}\"");
    }

    [Fact]
    public async Task Inclusion_Hash65HexDigits_ExitsTwo()
    {
        var args = GoodInclusion();

        var result = await Cli.RunAsync([.. With(args, "--root", args[args.IndexOf("--root") + 1] + "0")]);

        Cli.AssertUsage(result, "--root must be a hash as 64 hex digits");
    }

    [Fact]
    public async Task Inclusion_ProofElementMalformed_ExitsTwoNamingElement()
    {
        var args = GoodInclusion();
        var proof = args[args.IndexOf("--proof") + 1].Split(',');
        Assert.Equal(2, proof.Length);

        var result = await Cli.RunAsync([.. With(args, "--proof", proof[0] + "," + proof[1][..63])]);

        Cli.AssertUsage(result, "--proof element 2 must be a hash as 64 hex digits");
    }

    [Fact]
    public async Task Inclusion_ProofTrailingComma_ExitsTwoNamingElement()
    {
        var args = GoodInclusion();

        var result = await Cli.RunAsync([.. With(args, "--proof", args[args.IndexOf("--proof") + 1] + ",")]);

        Cli.AssertUsage(result, "--proof element 3 must be a hash as 64 hex digits; got \"\"");
    }

    [Theory]
    [InlineData("--index", "one")]
    [InlineData("--index", "-1")]
    [InlineData("--index", "+1")]
    [InlineData("--index", "1.0")]
    [InlineData("--index", " 1")]
    [InlineData("--index", "")]
    [InlineData("--index", "18446744073709551616")]
    [InlineData("--size", "three")]
    [InlineData("--size", "-3")]
    public async Task Inclusion_NumberMalformed_ExitsTwoNamingOption(string option, string value)
    {
        var result = await Cli.RunAsync([.. With(GoodInclusion(), option, value)]);

        Cli.AssertUsage(result, $"{option} must be a whole number from 0 to 18446744073709551615; got \"{value}\"");
    }

    [Theory]
    [InlineData("--leaf-hash")]
    [InlineData("--index")]
    [InlineData("--size")]
    [InlineData("--root")]
    public async Task Inclusion_RequiredOptionMissing_ExitsTwoNamingOption(string option)
    {
        var result = await Cli.RunAsync([.. Without(GoodInclusion(), option)]);

        Cli.AssertUsage(result, $"{option} is required");
    }

    [Fact]
    public async Task Inclusion_OptionWithoutValue_ExitsTwoNamingOption()
    {
        var args = Without(GoodInclusion(), "--root");
        args.Add("--root");

        var result = await Cli.RunAsync([.. args]);

        Cli.AssertUsage(result, "--root needs a value");
    }

    [Fact]
    public async Task Inclusion_OptionGivenTwice_ExitsTwoNamingOption()
    {
        var args = GoodInclusion();
        args.AddRange(["--root", args[args.IndexOf("--root") + 1]]);

        var result = await Cli.RunAsync([.. args]);

        Cli.AssertUsage(result, "--root is given 2 times; give it once");
    }

    [Fact]
    public async Task Inclusion_UnknownOption_ExitsTwoNamingOption()
    {
        var args = GoodInclusion();
        args.AddRange(["--verbose", "yes"]);

        var result = await Cli.RunAsync([.. args]);

        Cli.AssertUsage(result, "unknown option --verbose");
    }

    [Fact]
    public async Task Inclusion_ExtraPositional_ExitsTwoNamingIt()
    {
        var args = GoodInclusion();
        args.Add("extra");

        var result = await Cli.RunAsync([.. args]);

        Cli.AssertUsage(result, "unexpected argument \"extra\"");
    }

    [Fact]
    public async Task Inclusion_LongBadValue_ExitsTwoWithShortenedEcho()
    {
        var bad = new string('x', 500);

        var result = await Cli.RunAsync([.. With(GoodInclusion(), "--root", bad)]);

        Cli.AssertUsage(result, $"got \"{new string('x', 77)}...\"");
        Assert.True(result.Error.Length < 200, result.Error);
    }

    [Fact]
    public async Task Consistency_MalformedRoot2_ExitsTwoNamingOption()
    {
        var leaves = Leaves(4);
        var root = MerkleMath.Root(leaves);

        var result = await Cli.RunAsync(
            "proof", "consistency", "--size1", "4", "--size2", "4", "--root1", root.ToString(), "--root2", root.ToString()[1..]);

        Cli.AssertUsage(result, "--root2 must be a hash as 64 hex digits");
    }

    [Fact]
    public async Task Consistency_NonNumericSize1_ExitsTwoNamingOption()
    {
        var root = MerkleMath.Root(Leaves(4));

        var result = await Cli.RunAsync(
            "proof", "consistency", "--size1", "four", "--size2", "4", "--root1", root.ToString(), "--root2", root.ToString());

        Cli.AssertUsage(result, "--size1 must be a whole number");
    }

    [Fact]
    public async Task Consistency_MissingRoot1_ExitsTwoNamingOption()
    {
        var root = MerkleMath.Root(Leaves(4));

        var result = await Cli.RunAsync("proof", "consistency", "--size1", "4", "--size2", "4", "--root2", root.ToString());

        Cli.AssertUsage(result, "--root1 is required");
    }

    [Fact]
    public async Task Consistency_UnknownOption_ExitsTwoNamingOption()
    {
        var root = MerkleMath.Root(Leaves(4));

        var result = await Cli.RunAsync(
            "proof", "consistency", "--size1", "4", "--size2", "4", "--root1", root.ToString(), "--root2", root.ToString(), "--index", "0");

        Cli.AssertUsage(result, "unknown option --index");
    }

    [Fact]
    public async Task Consistency_ExtraPositional_ExitsTwoNamingIt()
    {
        var root = MerkleMath.Root(Leaves(4));

        var result = await Cli.RunAsync(
            "proof", "consistency", "--size1", "4", "--size2", "4", "--root1", root.ToString(), "--root2", root.ToString(), "--", "--size1");

        Cli.AssertUsage(result, "unexpected argument \"--size1\"");
    }
}
