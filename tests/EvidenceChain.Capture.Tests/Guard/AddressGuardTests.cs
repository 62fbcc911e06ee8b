using System.Net;
using EvidenceChain.Capture.Guard;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Capture.Tests.Guard;

public sealed class AddressGuardTests
{
    [Theory]
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    [InlineData("::", AddressClass.Unspecified)]
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("127.255.255.254", AddressClass.Loopback)]
    [InlineData("::1", AddressClass.Loopback)]
    [InlineData("10.0.0.5", AddressClass.Private)]
    [InlineData("172.16.0.1", AddressClass.Private)]
    [InlineData("172.31.255.255", AddressClass.Private)]
    [InlineData("192.168.1.1", AddressClass.Private)]
    [InlineData("100.64.0.1", AddressClass.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressClass.SharedAddressSpace)]
    [InlineData("169.254.1.1", AddressClass.LinkLocal)]
    [InlineData("fe80::1", AddressClass.LinkLocal)]
    [InlineData("febf::1", AddressClass.LinkLocal)]
    [InlineData("169.254.169.254", AddressClass.CloudMetadata)]
    [InlineData("fd00:ec2::254", AddressClass.CloudMetadata)]
    [InlineData("fc00::1", AddressClass.UniqueLocal)]
    [InlineData("fdff:ffff::1", AddressClass.UniqueLocal)]
    [InlineData("fec0::1", AddressClass.UniqueLocal)]
    [InlineData("224.0.0.1", AddressClass.Multicast)]
    [InlineData("239.255.255.250", AddressClass.Multicast)]
    [InlineData("ff02::1", AddressClass.Multicast)]
    [InlineData("255.255.255.255", AddressClass.Broadcast)]
    [InlineData("0.1.2.3", AddressClass.Reserved)]
    [InlineData("192.0.0.8", AddressClass.Reserved)]
    [InlineData("192.0.2.1", AddressClass.Reserved)]
    [InlineData("198.18.0.1", AddressClass.Reserved)]
    [InlineData("198.51.100.7", AddressClass.Reserved)]
    [InlineData("203.0.113.9", AddressClass.Reserved)]
    [InlineData("240.0.0.1", AddressClass.Reserved)]
    [InlineData("2001:db8::1", AddressClass.Reserved)]
    [InlineData("100::1", AddressClass.Reserved)]
    [InlineData("64:ff9b:1::1", AddressClass.Reserved)]
    [InlineData("4000::1", AddressClass.Reserved)]
    public void Check_SpecialAddress_IsRefusedWithItsClass(string text, AddressClass expected)
    {
        var verdict = AddressGuard.Strict.Check(IPAddress.Parse(text));

        Assert.False(verdict.Allowed);
        Assert.Equal(expected, verdict.Class);
        Assert.StartsWith("refused: " + text, verdict.Explain());
        Assert.Contains(AddressClasses.Describe(expected), verdict.Explain());
        Assert.EndsWith("allow it with Capture:AllowedNetworks", verdict.Explain());
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700::1111")]
    [InlineData("2a00:1450:4001::200e")]
    public void Check_PublicAddress_IsAllowed(string text)
    {
        var verdict = AddressGuard.Strict.Check(IPAddress.Parse(text));

        Assert.True(verdict.Allowed);
        Assert.Equal(AddressClass.Public, verdict.Class);
        Assert.Equal("allowed", verdict.Rule);
    }

    [Fact]
    public void Explain_PrivateAddress_NamesTheRuleAndTheSetting()
    {
        var verdict = AddressGuard.Strict.Check(IPAddress.Parse("10.0.0.5"));

        Assert.Equal("refused: 10.0.0.5 is a private address (RFC 1918); allow it with Capture:AllowedNetworks", verdict.Explain());
        Assert.Equal("private-address", verdict.Rule);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", "IPv4-mapped", AddressClass.Loopback)]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3", "IPv4-mapped", AddressClass.Private)]
    [InlineData("::ffff:169.254.169.254", "169.254.169.254", "IPv4-mapped", AddressClass.CloudMetadata)]
    [InlineData("::10.1.2.3", "10.1.2.3", "IPv4-compatible", AddressClass.Private)]
    [InlineData("::127.0.0.2", "127.0.0.2", "IPv4-compatible", AddressClass.Loopback)]
    [InlineData("2002:7f00:1::", "127.0.0.1", "6to4", AddressClass.Loopback)]
    [InlineData("2002:a9fe:a9fe::1", "169.254.169.254", "6to4", AddressClass.CloudMetadata)]
    [InlineData("64:ff9b::c0a8:101", "192.168.1.1", "NAT64", AddressClass.Private)]
    [InlineData("64:ff9b::a9fe:a9fe", "169.254.169.254", "NAT64", AddressClass.CloudMetadata)]
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe", "10.0.0.1", "Teredo", AddressClass.Private)]
    public void Check_Ipv6FormEmbeddingAGuardedIpv4_IsRefusedAsTheEmbeddedAddress(string text, string embedded, string form, AddressClass expected)
    {
        var verdict = AddressGuard.Strict.Check(IPAddress.Parse(text));

        Assert.False(verdict.Allowed);
        Assert.Equal(expected, verdict.Class);
        Assert.Equal(IPAddress.Parse(embedded), verdict.Embedded);
        Assert.Equal(form, verdict.EmbeddingForm);
        Assert.Contains($"({form} IPv6) embeds {embedded}", verdict.Explain());
    }

    [Theory]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("2002:5db8:d822::1")]
    [InlineData("64:ff9b::5db8:d822")]
    public void Check_Ipv6FormEmbeddingAPublicIpv4_IsAllowed(string text)
    {
        Assert.True(AddressGuard.Strict.Check(IPAddress.Parse(text)).Allowed);
    }

    [Fact]
    public void Check_LinkLocalWithZone_IsStillLinkLocal()
    {
        var address = IPAddress.Parse("fe80::1%2");

        Assert.Equal(AddressClass.LinkLocal, AddressGuard.Strict.Check(address).Class);
        Assert.False(AddressGuard.Strict.Check(address).Allowed);
    }

    [Fact]
    public void Check_AllowListedNetwork_IsAllowedButKeepsItsClass()
    {
        var guard = new AddressGuard([AddressGuard.ParseNetwork("10.1.0.0/16"), AddressGuard.ParseNetwork("fd12::/16")]);

        var inside = guard.Check(IPAddress.Parse("10.1.200.3"));
        var outside = guard.Check(IPAddress.Parse("10.2.0.1"));

        Assert.True(inside.Allowed);
        Assert.Equal(AddressClass.Private, inside.Class);
        Assert.False(outside.Allowed);
        Assert.True(guard.Check(IPAddress.Parse("fd12::9")).Allowed);
        Assert.False(guard.Check(IPAddress.Parse("fd13::9")).Allowed);
    }

    [Fact]
    public void Check_AllowListedIpv4_AllowsItsMappedForm()
    {
        var guard = new AddressGuard([AddressGuard.ParseNetwork("127.0.0.0/8")]);

        Assert.True(guard.Check(IPAddress.Parse("::ffff:127.0.0.1")).Allowed);
        Assert.False(guard.Check(IPAddress.Parse("::1")).Allowed);
    }

    [Fact]
    public void ParseNetwork_SingleAddress_IsAHostNetwork()
    {
        Assert.Equal(new IPNetwork(IPAddress.Parse("10.0.0.7"), 32), AddressGuard.ParseNetwork(" 10.0.0.7 "));
        Assert.Equal(new IPNetwork(IPAddress.Parse("fd00::7"), 128), AddressGuard.ParseNetwork("fd00::7"));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/8")]
    [InlineData("example.org")]
    [InlineData("")]
    public void ParseNetwork_Malformed_NamesTheSettingAndTheValue(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => AddressGuard.ParseNetwork(text));

        Assert.Contains("Capture:AllowedNetworks", e.Message);
        Assert.Contains($"\"{text}\"", e.Message);
    }

    private static Gen<IPAddress> AnyIpv4 { get; } =
        Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 4).Select(b => new IPAddress(b));

    [Property]
    public Property Check_AnyIpv4_MappedAnd6to4AndNat64FormsGetTheSameVerdict() =>
        Prop.ForAll(AnyIpv4.ToArbitrary(), v4 =>
        {
            var plain = AddressGuard.Strict.Check(v4);
            var b = v4.GetAddressBytes();
            var sixToFour = new byte[16];
            sixToFour[0] = 0x20;
            sixToFour[1] = 0x02;
            b.CopyTo(sixToFour, 2);
            var nat64 = new byte[16];
            nat64[1] = 0x64;
            nat64[2] = 0xff;
            nat64[3] = 0x9b;
            b.CopyTo(nat64, 12);
            foreach (var form in new[] { v4.MapToIPv6(), new IPAddress(sixToFour), new IPAddress(nat64) })
            {
                var verdict = AddressGuard.Strict.Check(form);
                if (verdict.Class != plain.Class || verdict.Allowed != plain.Allowed)
                {
                    return false;
                }
            }

            return true;
        });

    [Property]
    public Property Check_AnyAddressInRfc1918_IsRefusedUnlessAllowListed() =>
        Prop.ForAll(AnyIpv4.ToArbitrary(), v4 =>
        {
            var b = v4.GetAddressBytes();
            var inTen = new IPAddress([10, b[1], b[2], b[3]]);
            var in172 = new IPAddress([172, (byte)(16 + (b[1] % 16)), b[2], b[3]]);
            var in192 = new IPAddress([192, 168, b[2], b[3]]);
            var allowTen = new AddressGuard([AddressGuard.ParseNetwork("10.0.0.0/8")]);
            return new[] { inTen, in172, in192 }.All(a => AddressGuard.Strict.Check(a) is { Allowed: false, Class: AddressClass.Private })
                && allowTen.Check(inTen).Allowed
                && !allowTen.Check(in172).Allowed;
        });

    [Property]
    public Property Check_AnyAddressInAnAllowListedNetwork_IsAllowed() =>
        Prop.ForAll(AnyIpv4.ToArbitrary(), Gen.Choose(0, 32).ToArbitrary(), (v4, prefix) =>
        {
            var network = new IPNetwork(Mask(v4, prefix), prefix);
            var guard = new AddressGuard([network]);
            return guard.Check(v4).Allowed;
        });

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var b = address.GetAddressBytes();
        for (var i = 0; i < 32; i++)
        {
            if (i >= prefix)
            {
                b[i / 8] &= (byte)(0xff ^ (0x80 >> (i % 8)));
            }
        }

        return new IPAddress(b);
    }
}
