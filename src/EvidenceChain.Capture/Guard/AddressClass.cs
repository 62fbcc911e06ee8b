namespace EvidenceChain.Capture.Guard;

/// <summary>
/// What kind of address an IP address is, as far as the SSRF guard cares. Every class except
/// <see cref="Public"/> is refused unless allow-listed. The default value is <see cref="Public"/>.
/// </summary>
public enum AddressClass
{
    /// <summary>A globally routable unicast address: captured.</summary>
    Public,

    /// <summary><c>0.0.0.0</c> or <c>::</c>.</summary>
    Unspecified,

    /// <summary><c>127.0.0.0/8</c> or <c>::1</c>.</summary>
    Loopback,

    /// <summary>RFC 1918: <c>10.0.0.0/8</c>, <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>.</summary>
    Private,

    /// <summary>RFC 6598 shared address space (carrier-grade NAT): <c>100.64.0.0/10</c>.</summary>
    SharedAddressSpace,

    /// <summary><c>169.254.0.0/16</c> or <c>fe80::/10</c>.</summary>
    LinkLocal,

    /// <summary>Cloud instance-metadata endpoints: <c>169.254.169.254</c>, <c>fd00:ec2::254</c>.</summary>
    CloudMetadata,

    /// <summary>RFC 4193 unique-local IPv6: <c>fc00::/7</c> (and the deprecated site-local <c>fec0::/10</c>).</summary>
    UniqueLocal,

    /// <summary><c>224.0.0.0/4</c> or <c>ff00::/8</c>.</summary>
    Multicast,

    /// <summary>The limited broadcast address <c>255.255.255.255</c>.</summary>
    Broadcast,

    /// <summary>
    /// Special-purpose or reserved space that is not a public host: <c>0.0.0.0/8</c>, <c>192.0.0.0/24</c>,
    /// benchmarking <c>198.18.0.0/15</c>, documentation ranges, <c>240.0.0.0/4</c>, IPv6 documentation
    /// <c>2001:db8::/32</c>, discard-only <c>100::/64</c>, local-use NAT64 <c>64:ff9b:1::/48</c>.
    /// </summary>
    Reserved,
}
