namespace EvidenceChain.Witness;

/// <summary>One log a witness cosigns for: <c>Witness:Logs:N:Key</c> and, optionally, <c>Witness:Logs:N:Origin</c>.</summary>
public sealed class WitnessLogOptions
{
    /// <summary>The log's origin line; when given it must equal the key's name. Default: the key's name.</summary>
    public string? Origin { get; set; }

    /// <summary>The log's verifier key <c>origin+hex8+base64</c> (its <c>keys/log.vkey</c>); required. Repeat the origin with another key to trust both.</summary>
    public string? Key { get; set; }
}
