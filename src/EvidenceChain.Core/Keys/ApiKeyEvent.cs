using System.Globalization;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Text;

namespace EvidenceChain.Core.Keys;

/// <summary>
/// The creation or revocation of an API key, as an <c>api-key-event</c> entry records it in its attributes
/// (docs/formats.md, "API key events"): the action, the key's id and role, its description (<c>create</c> only) and
/// who did it. Never the key's secret nor its hash: the ledger is public, and a hash of a secret that is never reused
/// would prove nothing anyway. Immutable.
/// </summary>
public sealed record ApiKeyEvent
{
    /// <summary>The entry kind of API key events.</summary>
    public const string Kind = "api-key-event";

    /// <summary>
    /// The actor of the first admin key's creation: the node made it at first start, before any key existed. Not a
    /// key id (those start with <c>k</c> and have 17 characters), so it cannot be mistaken for one.
    /// </summary>
    public const string NodeActor = "node";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
    private static readonly string[] Attributes = ["action", "actor", "description", "key", "role"];

    /// <summary>The action.</summary>
    public required ApiKeyAction Action { get; init; }

    /// <summary>The key's id: <c>k</c> and 16 lowercase hex digits.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's role name (<c>submitter</c>, <c>case-manager</c>, <c>admin</c>).</summary>
    public required string Role { get; init; }

    /// <summary>The key's description, possibly empty (<c>create</c>); null for <c>revoke</c>.</summary>
    public string? Description { get; init; }

    /// <summary>The id of the admin key that did it, or <see cref="NodeActor"/>; also the entry's submitter.</summary>
    public required string Actor { get; init; }

    /// <summary>True when <paramref name="id"/> is a key id: <c>k</c> and 16 lowercase hex digits.</summary>
    public static bool IsKeyId(string? id) =>
        id is { Length: 17 } && id[0] == 'k' && id.AsSpan(1).IndexOfAnyExcept(LowerHex) < 0;

    /// <summary>
    /// The first rule this event breaks, as a message naming the field; null when it is well-formed: key ids for the
    /// key and the actor (or <see cref="NodeActor"/> for a <c>create</c>), a role of a-z and '-', and a description
    /// without control characters exactly when the action is <c>create</c>.
    /// </summary>
    public string? FindError()
    {
        if (!IsKeyId(KeyId))
        {
            return $"key \"{UntrustedText.Printable(KeyId ?? string.Empty, 40)}\" is malformed: expected k and 16 lowercase hex digits";
        }

        if (!IsKeyId(Actor) && !(Action == ApiKeyAction.Create && Actor == NodeActor))
        {
            return $"actor \"{UntrustedText.Printable(Actor ?? string.Empty, 40)}\" is neither a key id nor \"{NodeActor}\" (for a create)";
        }

        if (Role is not { Length: > 0 and <= 32 } || Role.Any(c => c is not ((>= 'a' and <= 'z') or '-')))
        {
            return $"role \"{UntrustedText.Printable(Role ?? string.Empty, 40)}\" must be 1 to 32 characters of a-z and '-'";
        }

        if ((Action == ApiKeyAction.Create) != (Description is not null))
        {
            return Action == ApiKeyAction.Create ? "a create event carries the description" : "only create carries a description";
        }

        return Description is not null && Description.Any(char.IsControl) ? "description contains control characters" : null;
    }

    /// <summary>The entry that records this event: kind <see cref="Kind"/>, submitter the actor, no artefacts.</summary>
    /// <exception cref="ArgumentException">The event is not well-formed (<see cref="FindError"/>).</exception>
    public EntryDraft ToDraft()
    {
        if (FindError() is { } error)
        {
            throw new ArgumentException($"Not a valid API key event: {error}.");
        }

        var a = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["action"] = Action == ApiKeyAction.Create ? "create" : "revoke",
            ["key"] = KeyId,
            ["role"] = Role,
            ["actor"] = Actor,
        };
        if (Description is not null)
        {
            a["description"] = Description;
        }

        return new EntryDraft(Kind, Actor, [], a);
    }

    /// <summary>Reads the event an entry of kind <see cref="Kind"/> records.</summary>
    /// <exception cref="FormatException">
    /// The entry is not an API key event, has unknown, missing or malformed attributes, or its submitter is not its actor.
    /// </exception>
    public static ApiKeyEvent FromEntry(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var draft = entry.Draft;
        if (draft.Kind != Kind)
        {
            throw Bad(entry, $"is a {draft.Kind} entry, not an {Kind}");
        }

        var a = draft.Attributes;
        if (a.Keys.FirstOrDefault(k => !Attributes.Contains(k, StringComparer.Ordinal)) is { } extra)
        {
            throw Bad(entry, $"has an unexpected attribute \"{UntrustedText.Printable(extra, 40)}\"");
        }

        string Need(string name) => a.TryGetValue(name, out var value) ? value : throw Bad(entry, $"has no attribute \"{name}\"");

        var action = Need("action") switch
        {
            "create" => ApiKeyAction.Create,
            "revoke" => ApiKeyAction.Revoke,
            var other => throw Bad(entry, $"has an unknown action \"{UntrustedText.Printable(other, 40)}\""),
        };
        var e = new ApiKeyEvent
        {
            Action = action,
            KeyId = Need("key"),
            Role = Need("role"),
            Actor = Need("actor"),
            Description = a.TryGetValue("description", out var description) ? description : null,
        };
        if (e.FindError() is { } error)
        {
            throw Bad(entry, error);
        }

        if (draft.Submitter != e.Actor || draft.Artefacts.Count != 0)
        {
            throw Bad(entry, "must have its actor as submitter and no artefacts");
        }

        return e;
    }

    private static FormatException Bad(LedgerEntry entry, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"API key event {entry.Index} {what}"));
}
