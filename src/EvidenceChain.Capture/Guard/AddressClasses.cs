namespace EvidenceChain.Capture.Guard;

/// <summary>Names and descriptions of <see cref="AddressClass"/> values, as used in refusals.</summary>
internal static class AddressClasses
{
    /// <summary>The stable rule name for a class, e.g. <c>private-address</c>.</summary>
    public static string RuleName(AddressClass value) => value switch
    {
        AddressClass.Public => "public-address",
        AddressClass.Unspecified => "unspecified-address",
        AddressClass.Loopback => "loopback-address",
        AddressClass.Private => "private-address",
        AddressClass.SharedAddressSpace => "shared-address-space",
        AddressClass.LinkLocal => "link-local-address",
        AddressClass.CloudMetadata => "cloud-metadata-address",
        AddressClass.UniqueLocal => "unique-local-address",
        AddressClass.Multicast => "multicast-address",
        AddressClass.Broadcast => "broadcast-address",
        AddressClass.Reserved => "reserved-address",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown address class."),
    };

    /// <summary>A noun phrase for a class, with its defining range, e.g. "a private address (RFC 1918)".</summary>
    public static string Describe(AddressClass value) => value switch
    {
        AddressClass.Public => "a public address",
        AddressClass.Unspecified => "the unspecified address",
        AddressClass.Loopback => "a loopback address (127.0.0.0/8, ::1)",
        AddressClass.Private => "a private address (RFC 1918)",
        AddressClass.SharedAddressSpace => "a carrier-grade NAT address (RFC 6598, 100.64.0.0/10)",
        AddressClass.LinkLocal => "a link-local address (169.254.0.0/16, fe80::/10)",
        AddressClass.CloudMetadata => "a cloud instance-metadata address",
        AddressClass.UniqueLocal => "a unique-local address (fc00::/7)",
        AddressClass.Multicast => "a multicast address",
        AddressClass.Broadcast => "the broadcast address",
        AddressClass.Reserved => "a reserved or special-purpose address (RFC 6890)",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown address class."),
    };
}
