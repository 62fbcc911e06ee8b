using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Checks <c>openings/</c> against the leaves (docs/formats.md §1.5, §8): every entry that commits fields has its
/// openings file, owner-only, canonical, opening exactly its commitments; a file no entry names is noted (an append that
/// failed after its openings were stored: harmless, and as private as the rest).
/// </summary>
internal static class OpeningsAudit
{
    /// <summary>Checks the openings of <paramref name="committed"/>; returns the entries revealed where their openings hold.</summary>
    public static Dictionary<ulong, LedgerEntry> Check(DataFolder folder, IReadOnlyList<LedgerEntry> committed, AuditReport report)
    {
        var store = new FileOpeningStore(folder.OpeningsPath);
        var revealed = new Dictionary<ulong, LedgerEntry>();
        var named = new HashSet<Hash>();
        foreach (var entry in committed)
        {
            var key = EntryOpenings.KeyOf(entry.Draft)!.Value;
            named.Add(key);
            var path = store.PathOf(key);
            var where = Path.GetRelativePath(folder.Path, path).Replace('\\', '/');
            if (!File.Exists(path))
            {
                report.Problem(where, Invariant($"missing: entry {entry.Index}'s committed fields ({string.Join(", ", entry.Draft.Commitments.Keys)}) can no longer be revealed; restore the file from a backup"));
                continue;
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly.FileMode) != 0)
            {
                report.Problem(where, "is readable or writable by others than the node's user: it holds confidential clear text; chmod 600 it");
            }

            DisclosureCheck check;
            try
            {
                check = Disclosure.Parse(File.ReadAllBytes(path)).Check(entry);
            }
            catch (FormatException e)
            {
                report.Problem(where, Invariant($"entry {entry.Index}'s openings are damaged: {e.Message}"));
                continue;
            }

            if (!check.IsValid)
            {
                report.Problem(where, Invariant($"does not open entry {entry.Index}: {check.Problem}"));
            }
            else if (check.Unopened.Count > 0)
            {
                report.Problem(where, Invariant($"leaves entry {entry.Index}'s {string.Join(", ", check.Unopened)} unopened"));
            }
            else
            {
                revealed[entry.Index] = Disclosure.Create(check.Opened).Reveal(entry);
            }
        }

        foreach (var (key, path) in store.List())
        {
            var where = Path.GetRelativePath(folder.Path, path).Replace('\\', '/');
            if (key is null)
            {
                report.Note($"{where} {(where.EndsWith(".tmp", StringComparison.Ordinal) ? "is a temporary file of a write a crash interrupted; nothing reads it" : "is not a file the node writes; nothing reads it")}");
            }
            else if (!named.Contains(key.Value))
            {
                report.Note($"{where} is named by no entry: an append that failed after its openings were stored; nothing reads it (it is private like the rest of openings/)");
            }
        }

        return revealed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
