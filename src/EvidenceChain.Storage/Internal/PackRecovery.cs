using EvidenceChain.Core;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Opening the packs of a folder after a clean stop or a crash: a sealed pack is read from its index when that is
/// whole; the newest pack, and a sealed one whose index is missing or damaged, is read through. The writer cuts a
/// torn tail off the newest pack and rebuilds a missing or damaged index; a reader only reports them.
/// </summary>
internal static class PackRecovery
{
    /// <summary>
    /// Loads pack <paramref name="number"/> into <paramref name="catalog"/>, adding what is wrong with it to
    /// <paramref name="issues"/>; returns the records of the <paramref name="newest"/> pack (the one the writer goes on
    /// appending to), empty for the others.
    /// </summary>
    public static List<(Hash Sha256, long Offset, int Length)> Load(
        string folder, int number, bool newest, bool writer, PackCatalog catalog, List<PackIssue> issues)
    {
        var path = PackFiles.PackPath(folder, number);
        var relative = "packs/" + Path.GetFileName(path);
        using var file = File.OpenHandle(path, FileMode.Open, writer ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite);
        var length = RandomAccess.GetLength(file);
        var hasIndex = File.Exists(PackFiles.IndexPath(folder, number));
        if (!newest && hasIndex && PackIndex.TryRead(folder, number, length) is { } indexed)
        {
            catalog.AddFound(indexed);
            return [];
        }

        // The newest pack (still being written), or a sealed one whose index is missing or damaged: read it through.
        var (records, gaps) = PackRecord.Scan(file, number);
        catalog.AddFound(records);
        var offsets = records.Select(r => (r.Sha256, r.Location.Offset - PackRecord.HeaderSize, r.Location.Length)).ToList();

        if (newest)
        {
            foreach (var (from, to) in gaps)
            {
                // Records are written in order and acknowledged only once fsync'd, so bytes that are not a whole record
                // at the end were never acknowledged. Elsewhere they may be a crash's too (a batch persisted in part);
                // whatever an entry lists and is lost there, the audit reports as a missing artefact.
                var tail = to == length;
                issues.Add(new PackIssue(
                    relative,
                    tail
                        ? $"{to - from} bytes after its last whole record (at {from}): an append cut short by a crash; " + (writer ? "cut off" : "the node cuts them off when it opens")
                        : $"bytes {from} to {to} are not a whole record (an append cut short by a crash, or damage); the records after them are read",
                    Benign: true));
                if (tail && writer)
                {
                    RandomAccess.SetLength(file, from);
                    RandomAccess.FlushToDisk(file);
                }
            }

            return offsets;
        }

        if (gaps.Count > 0)
        {
            // A sealed pack was synced whole before its index was written: no crash explains this. Keep reading it
            // through on every open (no index) so that the audit keeps reporting it.
            foreach (var (from, to) in gaps)
            {
                issues.Add(new PackIssue(relative, $"bytes {from} to {to} are damaged: not a whole record", Benign: false));
            }

            return [];
        }

        issues.Add(new PackIssue(
            relative,
            (hasIndex ? "its index does not match the pack; " : "its index is missing; ") + (writer ? "rebuilt" : "the node rebuilds it when it opens"),
            Benign: writer));
        if (writer)
        {
            PackIndex.Write(folder, number, offsets);
        }

        return [];
    }
}
