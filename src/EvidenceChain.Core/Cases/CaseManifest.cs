using System.Globalization;
using System.Text;
using EvidenceChain.Core.Text;

namespace EvidenceChain.Core.Cases;

/// <summary>
/// The text of a case export's manifest: what the case held when it was exported, one fact per line, signed by the
/// node as a C2SP signed note (docs/formats.md, "Case manifest"). Its first line,
/// <see cref="Header"/>, is never a log origin, so the note can never pass as a checkpoint. Immutable.
/// </summary>
public sealed record CaseManifest
{
    /// <summary>The first line, naming the format and its version.</summary>
    public const string Header = "evidencechain/case-manifest/v1";

    /// <summary>The log's origin.</summary>
    public required string Origin { get; init; }

    /// <summary>The case id.</summary>
    public required string CaseId { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The reference number; may be empty.</summary>
    public required string Reference { get; init; }

    /// <summary>The parties.</summary>
    public required IReadOnlyList<CaseParty> Parties { get; init; }

    /// <summary>Open or closed.</summary>
    public required CaseStatus Status { get; init; }

    /// <summary>The ledger's size when the manifest was made: every listed event is below it, the export event above.</summary>
    public required ulong LedgerSize { get; init; }

    /// <summary>The attached items, in the order they were attached.</summary>
    public required IReadOnlyList<CaseManifestItem> Items { get; init; }

    /// <summary>Every event of the case so far, oldest first.</summary>
    public required IReadOnlyList<CaseManifestEvent> Events { get; init; }

    /// <summary>The manifest text: LF line ends, a final LF, no other control characters.</summary>
    /// <exception cref="ArgumentException">A field holds a line break or control character, or a party role a space.</exception>
    public string Encode()
    {
        var text = new StringBuilder();
        void Line(string line)
        {
            if (line.Any(c => char.IsControl(c)))
            {
                throw new ArgumentException($"A manifest line would hold a control character: \"{UntrustedText.Printable(line, 40)}\".");
            }

            text.Append(line).Append('\n');
        }

        Line(Header);
        Line("origin " + Origin);
        Line("case " + CaseId);
        Line("title " + Title);
        Line(Reference.Length == 0 ? "reference" : "reference " + Reference);
        foreach (var party in Parties)
        {
            if (party.Role.Contains(' ', StringComparison.Ordinal) || party.Role.Length == 0)
            {
                throw new ArgumentException($"A party role must be one word: \"{UntrustedText.Printable(party.Role, 40)}\".");
            }

            Line($"party {party.Role} {party.Name}");
        }

        Line("status " + (Status == CaseStatus.Open ? "open" : "closed"));
        Line(Invariant($"ledger-size {LedgerSize}"));
        foreach (var item in Items)
        {
            Line(Invariant($"item {item.Index} {item.LeafHash} {item.AttachEvent} {item.AttachedBy}"));
            foreach (var a in item.Artefacts)
            {
                Line(Invariant($"artefact {item.Index} {a.Size} {a.Sha256} {(a.Sm3 is { } sm3 ? sm3.ToString() : "-")} {a.Name}"));
            }
        }

        foreach (var e in Events)
        {
            Line(Invariant($"event {e.Index} {e.LeafHash} {CaseEvent.ActionName(e.Action)}"));
        }

        return text.ToString();
    }

    /// <summary>
    /// Parses manifest text exactly as <see cref="Encode"/> writes it (the text of the signed note, before its
    /// signatures); anything else is refused, so one manifest has one text.
    /// </summary>
    /// <exception cref="FormatException">The text is not a manifest; the message names the line.</exception>
    public static CaseManifest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new FormatException("A manifest ends with a newline.");
        }

        var lines = text[..^1].Split('\n');
        var at = 0;
        string Next(string key)
        {
            if (at >= lines.Length)
            {
                throw new FormatException($"The manifest ends before its \"{key}\" line.");
            }

            var line = lines[at++];
            if (line == key)
            {
                return string.Empty;
            }

            return line.StartsWith(key + " ", StringComparison.Ordinal)
                ? line[(key.Length + 1)..]
                : throw new FormatException(Invariant($"Manifest line {at}: expected \"{key} ...\", got \"{UntrustedText.Printable(line, 40)}\"."));
        }

        bool Peek(string key) => at < lines.Length && lines[at].StartsWith(key + " ", StringComparison.Ordinal);

        if (lines[at++] != Header)
        {
            throw new FormatException($"The manifest's first line must be \"{Header}\".");
        }

        var origin = Next("origin");
        var caseId = Next("case");
        var title = Next("title");
        var reference = Next("reference");
        var parties = new List<CaseParty>();
        while (Peek("party"))
        {
            var fields = Next("party").Split(' ', 2);
            parties.Add(fields.Length == 2 ? new CaseParty(fields[1], fields[0]) : throw Bad(at, "a party line is \"party ROLE NAME\""));
        }

        var status = Next("status") switch
        {
            "open" => CaseStatus.Open,
            "closed" => CaseStatus.Closed,
            _ => throw Bad(at, "status is open or closed"),
        };
        var size = ParseIndex(Next("ledger-size"), at);
        var items = new List<CaseManifestItem>();
        while (Peek("item"))
        {
            var f = Next("item").Split(' ');
            if (f.Length != 4)
            {
                throw Bad(at, "an item line is \"item INDEX LEAF-HASH ATTACH-EVENT ATTACHED-BY\"");
            }

            var index = ParseIndex(f[0], at);
            var artefacts = new List<CaseManifestArtefact>();
            while (Peek("artefact"))
            {
                var g = Next("artefact").Split(' ', 5);
                if (g.Length != 5 || ParseIndex(g[0], at) != index)
                {
                    throw Bad(at, "an artefact line is \"artefact ITEM-INDEX SIZE SHA256 SM3|- NAME\", after its item");
                }

                artefacts.Add(new CaseManifestArtefact(g[4], (long)Math.Min(ParseIndex(g[1], at), long.MaxValue), ParseHash(g[2], at), g[3] == "-" ? null : ParseHash(g[3], at)));
            }

            items.Add(new CaseManifestItem(index, ParseHash(f[1], at), ParseIndex(f[2], at), f[3], artefacts));
        }

        var events = new List<CaseManifestEvent>();
        while (Peek("event"))
        {
            var f = Next("event").Split(' ');
            if (f.Length != 3 || !CaseEvent.TryParseAction(f[2], out var action))
            {
                throw Bad(at, "an event line is \"event INDEX LEAF-HASH ACTION\"");
            }

            events.Add(new CaseManifestEvent(ParseIndex(f[0], at), ParseHash(f[1], at), action));
        }

        if (at != lines.Length)
        {
            throw Bad(at + 1, Invariant($"unexpected line \"{UntrustedText.Printable(lines[at], 40)}\""));
        }

        var manifest = new CaseManifest
        {
            Origin = origin, CaseId = caseId, Title = title, Reference = reference, Parties = parties, Status = status,
            LedgerSize = size, Items = items, Events = events,
        };
        if (manifest.Encode() != text)
        {
            throw new FormatException("The manifest is not in its canonical form (spacing or number formats differ from the encoding).");
        }

        return manifest;
    }

    private static ulong ParseIndex(string text, int line) =>
        text.Length is > 0 and <= 20 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0')
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(line, $"\"{UntrustedText.Printable(text, 40)}\" is not a decimal number");

    private static Hash ParseHash(string text, int line) =>
        Hash.TryParse(text, out var hash) && hash.ToString() == text ? hash : throw Bad(line, $"\"{UntrustedText.Printable(text, 40)}\" is not 64 lowercase hex digits");

    private static FormatException Bad(int line, string what) => new(Invariant($"Manifest line {line}: {what}."));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
