using EvidenceChain.Core.Notes;

namespace EvidenceChain.Witness;

/// <summary>
/// The settings section <c>Witness</c>: the logs a node (or <c>evidencectl witness serve</c>) witnesses, and its
/// name. With no logs the witness is off and <c>POST /add-checkpoint</c> is not mapped.
/// </summary>
public sealed class WitnessOptions
{
    /// <summary>
    /// The witness's key name, a schema-less URL such as <c>court.example/witness</c>. Default (null): on a node, its
    /// log's origin followed by <c>/witness</c>. Fixed once the key exists.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>The logs to cosign for (<c>Witness:Logs:0:Key</c>, ...). Default: none.</summary>
    public IList<WitnessLogOptions> Logs { get; } = [];

    /// <summary>The log keys of <see cref="Logs"/>, parsed and checked.</summary>
    /// <exception cref="ArgumentException">An entry has no key, a key that is not a log verifier key, or an origin that is not its key's name.</exception>
    public IReadOnlyList<NoteVerifier> LogKeys()
    {
        var keys = new List<NoteVerifier>(Logs.Count);
        for (var i = 0; i < Logs.Count; i++)
        {
            var entry = Logs[i];
            if (!NoteVerifier.TryParse(entry.Key?.Trim(), out var key, out var error))
            {
                throw new ArgumentException($"Witness:Logs:{i}:Key is not a log verifier key (name+hex8+base64): {error}.");
            }

            if (entry.Origin is { } origin && origin != key.Name)
            {
                throw new ArgumentException($"Witness:Logs:{i}: the origin \"{origin}\" is not the name of its key, \"{key.Name}\".");
            }

            keys.Add(key);
        }

        return keys;
    }
}
