using System.Globalization;
using System.Net;
using EvidenceChain.Capture.Guard;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Capture.Tests.Guard;

public sealed class HostSpellingTests
{
    [Theory]
    [InlineData("http://127.0.0.1./", "is the IP address 127.0.0.1 (a loopback address (127.0.0.0/8, ::1)) written with a trailing dot")]
    [InlineData("http://127.0.0.1.:8080/x", "write the address as 127.0.0.1")]
    [InlineData("http://0x7f.1./", "the IP address 127.0.0.1 (a loopback")]
    [InlineData("http://0177.0.0.1./", "the IP address 127.0.0.1 (a loopback")]
    [InlineData("http://2130706433./", "the IP address 127.0.0.1 (a loopback")]
    [InlineData("http://169.254.169.254./latest/meta-data/", "the IP address 169.254.169.254 (a cloud instance-metadata address)")]
    [InlineData("http://93.184.216.34./", "is the IP address 93.184.216.34 written with a trailing dot")]
    [InlineData("http://localhost./", "ends in a dot, which the resolver may read differently from localhost: write it as localhost")]
    [InlineData("http://example.org./", "write it as example.org")]
    [InlineData("http://09.0.0.1/", "a number-like name that is not an IP address")]
    [InlineData("http://4294967296/", "a number-like name that is not an IP address")]
    [InlineData("http://0x100000000/", "a number-like name that is not an IP address")]
    [InlineData("http://1.2.3.4.5/", "a number-like name that is not an IP address")]
    [InlineData("http://example.0x1f/", "a number-like name that is not an IP address")]
    [InlineData("http://example.0x/", "a number-like name that is not an IP address")]
    [InlineData("http://１２７.０.０.１/", "is the IP address 127.0.0.1 (a loopback")]
    [InlineData("http://[fe80::1%25eth0]/", "the host [fe80::1] is written with the zone id \"%eth0\"")]
    [InlineData("http://[::1%251]/", "the zone id \"%1\"")]
    [InlineData("http://[2606:4700::1111%25eth0]/", "write the address without it")]
    public void IsNonCanonical_HostSpelledSoAParserCouldReadAnotherAddress_IsRefusedSayingHow(string url, string expected)
    {
        var refused = HostSpelling.IsNonCanonical(new Uri(url), out var refusal);

        Assert.True(refused);
        Assert.Equal(CaptureFailureReason.Refused, refusal!.Reason);
        Assert.Equal("non-canonical-host", refusal.Rule);
        Assert.StartsWith("refused: the host ", refusal.Message);
        Assert.Contains(expected, refusal.Message);
    }

    [Theory]
    [InlineData("http://example.org/")]
    [InlineData("http://example.0y/")]
    [InlineData("https://www.example.org:8443/a.b.1")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://0x7f.1/")] // Uri reads these as 127.0.0.1: the guard checks that address
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://bücher.example/")]
    [InlineData("http://1.2.3.example/")]
    public void IsNonCanonical_HostThatIsANameOrAnAddressUriReads_IsNotRefused(string url)
    {
        Assert.False(HostSpelling.IsNonCanonical(new Uri(url), out var refusal));
        Assert.Null(refusal);
    }

    private static Gen<IPAddress> AnyIpv4 { get; } =
        Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 4).Select(b => new IPAddress(b));

    [Property]
    public Property IsNonCanonical_AnyIpv4_CanonicalPassesAndEveryTrailingDotSpellingIsRefusedNamingTheAddress() =>
        Prop.ForAll(AnyIpv4.ToArbitrary(), v4 =>
        {
            var b = v4.GetAddressBytes();
            var number = ((uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3]).ToString(CultureInfo.InvariantCulture);
            var hex = string.Create(CultureInfo.InvariantCulture, $"0x{b[0]:x}.0x{b[1]:x}.0x{b[2]:x}.0x{b[3]:x}");
            var spellings = new[] { $"{v4}.", number + ".", hex + "." };
            return !HostSpelling.IsNonCanonical(new Uri($"http://{v4}/"), out _)
                && spellings.All(h => HostSpelling.IsNonCanonical(new Uri($"http://{h}/"), out var refusal)
                    && refusal!.Message.Contains($"the IP address {v4} ", StringComparison.Ordinal));
        });
}
