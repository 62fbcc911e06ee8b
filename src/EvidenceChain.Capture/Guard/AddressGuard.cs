using System.Net;
using System.Net.Sockets;

namespace EvidenceChain.Capture.Guard;

/// <summary>
/// The SSRF guard: classifies IP addresses and refuses every one that is not a public unicast host (loopback, private,
/// carrier-grade NAT, link-local, cloud metadata, unique-local, multicast, broadcast, reserved), including IPv6 forms
/// that embed such an IPv4 address (IPv4-mapped, IPv4-compatible, 6to4, NAT64, Teredo), unless the address lies in
/// one of the allow-listed networks.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AddressGuard
{
    private static readonly IPAddress MetadataV4 = IPAddress.Parse("169.254.169.254");
    private static readonly IPAddress MetadataV6 = IPAddress.Parse("fd00:ec2::254");

    private readonly IPNetwork[] _allowed;

    /// <summary>Creates a guard that allows <paramref name="allowedNetworks"/> in addition to public addresses.</summary>
    public AddressGuard(IEnumerable<IPNetwork> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        _allowed = [.. allowedNetworks];
    }

    /// <summary>A guard with no allow-list: only public addresses pass.</summary>
    public static AddressGuard Strict { get; } = new([]);

    /// <summary>The allow-listed networks.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks => _allowed;

    /// <summary>
    /// Parses an allow-list entry: a CIDR network (<c>10.1.0.0/16</c>, <c>fd00::/8</c>) or a single address.
    /// </summary>
    /// <exception cref="ArgumentException">The entry is neither; the message quotes it.</exception>
    internal static IPNetwork ParseNetwork(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IPNetwork.TryParse(text, out var network)
            && IPAddress.TryParse(text[..slash], out var written) && written.Equals(network.BaseAddress))
        {
            return network;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new ArgumentException(
            $"{CaptureOptions.AllowedNetworksSetting}: \"{value}\" is not a network such as 10.1.0.0/16 or fd00::/8 (the base address must have no bits set beyond the prefix), nor an address.",
            nameof(value));
    }

    /// <summary>Checks <paramref name="address"/>: allowed when public or allow-listed, refused otherwise.</summary>
    internal AddressVerdict Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv6LinkLocal && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes()); // the zone does not change the class
        }

        var (cls, embedded, form) = Classify(address);
        var allowed = cls == AddressClass.Public || IsAllowListed(address) || (embedded is not null && IsAllowListed(embedded));
        return new AddressVerdict(address, cls, allowed, embedded, form);
    }

    /// <summary>The class of an address, looking through IPv6 forms that embed an IPv4 address.</summary>
    internal static (AddressClass Class, IPAddress? Embedded, string? Form) Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return (ClassifyV4(address.GetAddressBytes()), null, null);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return (AddressClass.Reserved, null, null);
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (TryEmbedded(b, out var v4, out var form))
        {
            var inner = ClassifyV4(v4);
            return (inner, new IPAddress(v4), form);
        }

        return (ClassifyV6(b, address), null, null);
    }

    private bool IsAllowListed(IPAddress address)
    {
        foreach (var network in _allowed)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static AddressClass ClassifyV4(ReadOnlySpan<byte> a)
    {
        var (o0, o1, o2, o3) = (a[0], a[1], a[2], a[3]);
        return (o0, o1, o2, o3) switch
        {
            (0, 0, 0, 0) => AddressClass.Unspecified,
            (255, 255, 255, 255) => AddressClass.Broadcast,
            (169, 254, 169, 254) => AddressClass.CloudMetadata,
            (0, _, _, _) => AddressClass.Reserved,                          // "this network"
            (127, _, _, _) => AddressClass.Loopback,
            (10, _, _, _) => AddressClass.Private,
            (172, >= 16 and <= 31, _, _) => AddressClass.Private,
            (192, 168, _, _) => AddressClass.Private,
            (100, >= 64 and <= 127, _, _) => AddressClass.SharedAddressSpace,
            (169, 254, _, _) => AddressClass.LinkLocal,
            (192, 0, 0, _) => AddressClass.Reserved,                        // IETF protocol assignments
            (192, 0, 2, _) or (198, 51, 100, _) or (203, 0, 113, _) => AddressClass.Reserved, // documentation
            (198, 18 or 19, _, _) => AddressClass.Reserved,                 // benchmarking
            (>= 224 and <= 239, _, _, _) => AddressClass.Multicast,
            (>= 240, _, _, _) => AddressClass.Reserved,
            _ => AddressClass.Public,
        };
    }

    private static AddressClass ClassifyV6(ReadOnlySpan<byte> b, IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6None))
        {
            return AddressClass.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressClass.Loopback;
        }

        if (address.Equals(MetadataV6))
        {
            return AddressClass.CloudMetadata;
        }

        if (b[0] == 0xff)
        {
            return AddressClass.Multicast;
        }

        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        {
            return AddressClass.LinkLocal;
        }

        if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0))
        {
            return AddressClass.UniqueLocal; // fc00::/7, and the deprecated site-local fec0::/10
        }

        if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) // 2001:db8::/32 documentation
            || (b[0] == 0x01 && b[1] == 0x00 && b[2..8].IndexOfAnyExcept((byte)0) < 0) // 100::/64 discard-only
            || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01)) // 64:ff9b:1::/48
        {
            return AddressClass.Reserved;
        }

        // Everything else outside 2000::/3 (global unicast) is unassigned or special.
        return (b[0] & 0xe0) == 0x20 ? AddressClass.Public : AddressClass.Reserved;
    }

    // IPv6 forms that carry an IPv4 destination: the IPv4 address decides, as that is where packets may end up.
    private static bool TryEmbedded(ReadOnlySpan<byte> b, out byte[] v4, out string form)
    {
        if (b[..10].IndexOfAnyExcept((byte)0) < 0 && b[10] == 0xff && b[11] == 0xff)
        {
            (v4, form) = (b[12..].ToArray(), "IPv4-mapped");
            return true;
        }

        if (b[..12].IndexOfAnyExcept((byte)0) < 0 && b[12..].IndexOfAnyExcept((byte)0) >= 0 && !(b[12..15].IndexOfAnyExcept((byte)0) < 0 && b[15] == 1))
        {
            (v4, form) = (b[12..].ToArray(), "IPv4-compatible"); // ::a.b.c.d, but not :: or ::1
            return true;
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            (v4, form) = (b[2..6].ToArray(), "6to4");
            return true;
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            (v4, form) = (b[12..].ToArray(), "NAT64");
            return true;
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            // Teredo: the client's IPv4 address is stored bit-inverted in the last four bytes.
            v4 = [(byte)(b[12] ^ 0xff), (byte)(b[13] ^ 0xff), (byte)(b[14] ^ 0xff), (byte)(b[15] ^ 0xff)];
            form = "Teredo";
            return true;
        }

        (v4, form) = ([], string.Empty);
        return false;
    }
}
