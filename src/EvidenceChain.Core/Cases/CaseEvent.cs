using System.Globalization;
using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Text;

namespace EvidenceChain.Core.Cases;

/// <summary>
/// One action on a case, as a <c>case-event</c> entry records it in its attributes (docs/formats.md, "Cases"). Which
/// fields an action carries: <c>create</c> the title, reference and parties; <c>attach</c> and <c>detach</c> the
/// evidence index and leaf hash (detach an optional reason); <c>note</c> the text; <c>close</c> an optional reason;
/// <c>export</c> the manifest's SHA-256. Every event but <c>create</c> names the case's previous event, so the
/// events of a case form a chain that an export cannot shorten without the gap showing. Immutable.
/// </summary>
public sealed record CaseEvent
{
    /// <summary>The entry kind of case events.</summary>
    public const string Kind = "case-event";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>The case's id: <c>c</c> and 16 lowercase hex digits.</summary>
    public required string CaseId { get; init; }

    /// <summary>The action.</summary>
    public required CaseAction Action { get; init; }

    /// <summary>The API key id of who did it (also the entry's submitter).</summary>
    public required string Actor { get; init; }

    /// <summary>The ledger index of the case's previous event; null for <c>create</c> only.</summary>
    public ulong? PreviousEvent { get; init; }

    /// <summary>The attached or detached entry's index.</summary>
    public ulong? EvidenceIndex { get; init; }

    /// <summary>The attached or detached entry's leaf hash.</summary>
    public Hash? EvidenceLeafHash { get; init; }

    /// <summary>The title (<c>create</c>).</summary>
    public string? Title { get; init; }

    /// <summary>The reference number, possibly empty (<c>create</c>).</summary>
    public string? Reference { get; init; }

    /// <summary>The parties (<c>create</c>); empty otherwise.</summary>
    public IReadOnlyList<CaseParty> Parties { get; init; } = [];

    /// <summary>The note (<c>note</c>) or the reason (<c>detach</c>, <c>close</c>; optional).</summary>
    public string? Text { get; init; }

    /// <summary>The SHA-256 of the signed manifest file (<c>export</c>).</summary>
    public Hash? ManifestSha256 { get; init; }

    /// <summary>True when <paramref name="id"/> is a case id: <c>c</c> and 16 lowercase hex digits.</summary>
    public static bool IsCaseId(string? id) =>
        id is { Length: 17 } && id[0] == 'c' && id.AsSpan(1).IndexOfAnyExcept(LowerHex) < 0;

    /// <summary>The action's wire name: <c>create</c>, <c>attach</c>, <c>detach</c>, <c>note</c>, <c>close</c>, <c>export</c>.</summary>
    public static string ActionName(CaseAction action) => action switch
    {
        CaseAction.Create => "create",
        CaseAction.Attach => "attach",
        CaseAction.Detach => "detach",
        CaseAction.Note => "note",
        CaseAction.Close => "close",
        CaseAction.Export => "export",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown case action."),
    };

    /// <summary>Parses an action's wire name.</summary>
    public static bool TryParseAction(string? name, out CaseAction action)
    {
        (var ok, action) = name switch
        {
            "create" => (true, CaseAction.Create),
            "attach" => (true, CaseAction.Attach),
            "detach" => (true, CaseAction.Detach),
            "note" => (true, CaseAction.Note),
            "close" => (true, CaseAction.Close),
            "export" => (true, CaseAction.Export),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>
    /// The first rule this event breaks, as a message naming the field; null when it is well-formed: a valid case id
    /// and actor, exactly the fields its action carries, and every text within <see cref="CaseLimits"/>.
    /// </summary>
    public string? FindError()
    {
        if (!IsCaseId(CaseId))
        {
            return $"case id \"{UntrustedText.Printable(CaseId, 40)}\" is malformed: expected c and 16 lowercase hex digits";
        }

        if (string.IsNullOrEmpty(Actor) || HasControl(Actor, false))
        {
            return "actor must be an API key id";
        }

        var isCreate = Action == CaseAction.Create;
        if (isCreate != (PreviousEvent is null))
        {
            return isCreate ? "a create event has no previous event" : "every event but create names the case's previous event";
        }

        var evidence = Action is CaseAction.Attach or CaseAction.Detach;
        if (evidence != (EvidenceIndex is not null) || evidence != (EvidenceLeafHash is not null))
        {
            return evidence ? "evidence index and leaf hash are required" : "only attach and detach name evidence";
        }

        if (isCreate != (Title is not null) || isCreate != (Reference is not null) || (!isCreate && Parties.Count > 0))
        {
            return "only create carries the title, reference and parties";
        }

        if (isCreate)
        {
            var error = TextError("title", Title!, CaseLimits.MaxTitleBytes, required: true, lineBreaks: false)
                ?? TextError("reference", Reference!, CaseLimits.MaxReferenceBytes, required: false, lineBreaks: false);
            if (error is not null)
            {
                return error;
            }

            if (Parties.Count > CaseLimits.MaxParties)
            {
                return string.Create(CultureInfo.InvariantCulture, $"parties: {Parties.Count} given; at most {CaseLimits.MaxParties}");
            }

            for (var i = 0; i < Parties.Count; i++)
            {
                var party = Parties[i];
                error = TextError(string.Create(CultureInfo.InvariantCulture, $"parties[{i}].name"), party.Name, CaseLimits.MaxPartyNameBytes, required: true, lineBreaks: false);
                if (error is not null)
                {
                    return error;
                }

                if (party.Role is not { Length: > 0 } role || Encoding.UTF8.GetByteCount(role) > CaseLimits.MaxPartyRoleBytes
                    || role.Any(c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"parties[{i}].role \"{UntrustedText.Printable(party.Role ?? string.Empty, 40)}\" must be 1 to {CaseLimits.MaxPartyRoleBytes} characters of a-z, 0-9 and '-' (e.g. claimant)");
                }
            }
        }

        if (Text is not null)
        {
            if (Action is not (CaseAction.Note or CaseAction.Detach or CaseAction.Close))
            {
                return "only note, detach and close carry text";
            }

            var error = TextError(Action == CaseAction.Note ? "note" : "reason", Text, CaseLimits.MaxTextBytes, required: Action == CaseAction.Note, lineBreaks: true);
            if (error is not null)
            {
                return error;
            }
        }
        else if (Action == CaseAction.Note)
        {
            return "note is empty";
        }

        if ((Action == CaseAction.Export) != (ManifestSha256 is not null))
        {
            return Action == CaseAction.Export ? "an export event carries the manifest's SHA-256" : "only export carries a manifest SHA-256";
        }

        return null;
    }

    /// <summary>The entry that records this event: kind <see cref="Kind"/>, submitter the actor, no artefacts.</summary>
    /// <exception cref="ArgumentException">The event is not well-formed (<see cref="FindError"/>).</exception>
    public EntryDraft ToDraft()
    {
        if (FindError() is { } error)
        {
            throw new ArgumentException($"Not a valid case event: {error}.");
        }

        var a = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["case"] = CaseId,
            ["action"] = ActionName(Action),
            ["actor"] = Actor,
        };
        if (PreviousEvent is { } previous)
        {
            a["prev-event"] = Decimal(previous);
        }

        if (EvidenceIndex is { } index)
        {
            a["evidence"] = Decimal(index);
            a["evidence-leaf-hash"] = EvidenceLeafHash!.Value.ToString();
        }

        if (Title is not null)
        {
            a["title"] = Title;
            a["reference"] = Reference!;
        }

        for (var i = 0; i < Parties.Count; i++)
        {
            a[string.Create(CultureInfo.InvariantCulture, $"party-{i}-name")] = Parties[i].Name;
            a[string.Create(CultureInfo.InvariantCulture, $"party-{i}-role")] = Parties[i].Role;
        }

        if (Text is not null)
        {
            a["text"] = Text;
        }

        if (ManifestSha256 is { } manifest)
        {
            a["manifest-sha256"] = manifest.ToString();
        }

        return new EntryDraft(Kind, Actor, [], a);
    }

    /// <summary>Reads the event an entry of kind <see cref="Kind"/> records.</summary>
    /// <exception cref="FormatException">
    /// The entry is not a case event, has unknown or malformed attributes, or its submitter is not its actor.
    /// </exception>
    public static CaseEvent FromEntry(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var draft = entry.Draft;
        if (draft.Kind != Kind)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"entry {entry.Index} is a {draft.Kind} entry, not a {Kind}"));
        }

        var a = draft.Attributes;
        var used = 0;
        string? Get(string name)
        {
            if (a.TryGetValue(name, out var value))
            {
                used++;
                return value;
            }

            return null;
        }

        string Need(string name) => Get(name) ?? throw Bad(entry, $"has no attribute \"{name}\"");

        if (!TryParseAction(Need("action"), out var action))
        {
            throw Bad(entry, $"has an unknown action \"{UntrustedText.Printable(a["action"], 40)}\"");
        }

        var parties = new List<CaseParty>();
        while (Get(string.Create(CultureInfo.InvariantCulture, $"party-{parties.Count}-name")) is { } name)
        {
            parties.Add(new CaseParty(name, Need(string.Create(CultureInfo.InvariantCulture, $"party-{parties.Count}-role"))));
        }

        var evidenceHash = Get("evidence-leaf-hash");
        var manifest = Get("manifest-sha256");
        var e = new CaseEvent
        {
            CaseId = Need("case"),
            Action = action,
            Actor = Need("actor"),
            PreviousEvent = ParseIndex(entry, "prev-event", Get("prev-event")),
            EvidenceIndex = ParseIndex(entry, "evidence", Get("evidence")),
            EvidenceLeafHash = evidenceHash is null ? null : ParseHash(entry, "evidence-leaf-hash", evidenceHash),
            Title = Get("title"),
            Reference = Get("reference"),
            Parties = parties,
            Text = Get("text"),
            ManifestSha256 = manifest is null ? null : ParseHash(entry, "manifest-sha256", manifest),
        };

        if (used != a.Count)
        {
            var known = new HashSet<string>(["case", "action", "actor", "prev-event", "evidence", "evidence-leaf-hash", "title", "reference", "text", "manifest-sha256"], StringComparer.Ordinal);
            var extra = a.Keys.FirstOrDefault(k => !known.Contains(k) && !k.StartsWith("party-", StringComparison.Ordinal)) ?? a.Keys.First(k => k.StartsWith("party-", StringComparison.Ordinal));
            throw Bad(entry, $"has an unexpected attribute \"{UntrustedText.Printable(extra, 40)}\"");
        }

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

    private static ulong? ParseIndex(LedgerEntry entry, string name, string? text) =>
        text is null ? null
        : text.Length is > 0 and <= 20 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0')
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw Bad(entry, $"has a malformed \"{name}\" (expected a decimal index)");

    private static Hash ParseHash(LedgerEntry entry, string name, string text) =>
        Hash.TryParse(text, out var hash) && hash.ToString() == text ? hash : throw Bad(entry, $"has a malformed \"{name}\" (expected 64 lowercase hex digits)");

    private static FormatException Bad(LedgerEntry entry, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"case event {entry.Index} {what}"));

    private static string Decimal(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? TextError(string field, string value, int limit, bool required, bool lineBreaks)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            return $"{field} is empty";
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > limit)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{field} is {bytes} UTF-8 bytes; the limit is {limit}");
        }

        return HasControl(value, lineBreaks)
            ? $"{field} contains control characters{(lineBreaks ? " other than tab and line breaks" : string.Empty)} or unpaired surrogates"
            : null;
    }

    private static bool HasControl(string value, bool lineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && !(lineBreaks && c is '\t' or '\n' or '\r')))
            {
                return true;
            }
        }

        return false;
    }
}
