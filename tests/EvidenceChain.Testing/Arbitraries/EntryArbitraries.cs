using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using FsCheck;
using FsCheck.Fluent;

namespace EvidenceChain.Testing.Arbitraries;

/// <summary>
/// FsCheck arbitraries for ledger entries that <see cref="LeafCodec.Encode"/> accepts: unicode text (including
/// Chinese and emoji) in every free-text field, random attribute maps and 0 to 5 artefacts with or without SM3.
/// Register with <c>[Properties(Arbitrary = [typeof(EntryArbitraries)])]</c>.
/// </summary>
public static class EntryArbitraries
{
    private const string KindAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";

    /// <summary>A valid entry; its leaf stays far below <see cref="LeafCodec.MaxLeafSize"/>.</summary>
    public static Arbitrary<LedgerEntry> LedgerEntry() => EntryGen.ToArbitrary();

    /// <summary>The generator behind <see cref="LedgerEntry()"/>.</summary>
    public static Gen<LedgerEntry> EntryGen { get; } =
        from origin in Gens.Text(1, 40).Where(o => !o.Any(char.IsControl))
        from index in Gen.Frequency(
            (1, Gen.Elements(0UL, 1UL, ulong.MaxValue, (ulong)long.MaxValue + 1)),
            (3, Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, int.MaxValue)).Select(t => ((ulong)(uint)t.Item1 << 33) ^ (uint)t.Item2)))
        from prev in Gens.Hash
        from time in Time
        from kind in Kind
        from submitter in Gens.Text(0, 20)
        from artefacts in Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(Artefact, n))
        from attributes in Attributes
        from commitments in Commitments
        from clearVersion in Gen.Elements(false, true)
        let committed = commitments.Where(c => !attributes.ContainsKey(c.Key)).ToDictionary(StringComparer.Ordinal)
        select new LedgerEntry(origin, index, prev, time, new EntryDraft(kind, submitter, [.. artefacts], attributes) { Commitments = committed })
        {
            Version = clearVersion && committed.Count == 0 ? Core.Entries.LedgerEntry.ClearFormatVersion : Core.Entries.LedgerEntry.FormatVersion,
        };

    /// <summary>0 to 3 committed attributes (version 2) with distinct keys, SHA-256 or SM3.</summary>
    public static Gen<IReadOnlyDictionary<string, Commitment>> Commitments { get; } =
        Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
            .SelectMany(n => Gen.ListOf(
                from key in Gens.Text(1, 12).Where(k => !k.Contains('\0', StringComparison.Ordinal))
                from hash in Gens.Hash
                from algorithm in Gen.Elements(CommitmentAlgorithm.Sha256, CommitmentAlgorithm.Sm3)
                select (key, hash, algorithm), n))
            .Select(triples =>
            {
                var map = new Dictionary<string, Commitment>(StringComparer.Ordinal);
                foreach (var (key, hash, algorithm) in triples)
                {
                    map[key] = new Commitment(algorithm, hash);
                }

                return (IReadOnlyDictionary<string, Commitment>)map;
            });

    /// <summary>An entry kind: 1 to 64 of a-z, 0-9 and '-'.</summary>
    public static Gen<string> Kind { get; } =
        Gen.Frequency((4, Gen.Choose(1, 12)), (1, Gen.Choose(1, 64)))
            .SelectMany(n => Gen.ArrayOf(Gen.Elements(KindAlphabet.ToCharArray()), n))
            .Select(chars => new string(chars));

    /// <summary>A time of whole milliseconds between years 1 and 9999 (a day of margin each end), at a random UTC offset.</summary>
    public static Gen<DateTimeOffset> Time { get; } =
        from day in Gen.Frequency((1, Gen.Elements(1, 3_652_056)), (4, Gen.Choose(1, 3_652_056)))
        from millisecond in Gen.Choose(0, 86_399_999)
        from offsetMinutes in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(-14 * 60, 14 * 60)))
        let utc = new DateTimeOffset(DateTime.MinValue.AddDays(day).AddMilliseconds(millisecond), TimeSpan.Zero)
        select utc.ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    /// <summary>An artefact with a non-empty name, any media type text, a non-negative size and optional SM3.</summary>
    public static Gen<Artefact> Artefact { get; } =
        from name in Gens.Text(1, 30)
        from mediaType in Gen.Frequency(
            (3, Gen.Elements("application/pdf", "text/html; charset=utf-8", "application/warc", "image/png")),
            (1, Gens.Text(0, 20)))
        from size in Gen.Frequency(
            (1, Gen.Elements(0L, 1L, long.MaxValue)),
            (3, Gen.Choose(0, int.MaxValue).Select(i => (long)i)))
        from sha256 in Gens.Hash
        from sm3 in Gen.Frequency((1, Gen.Constant<Hash?>(null)), (1, Gens.Hash.Select(h => (Hash?)h)))
        select new Artefact(name, mediaType, size, sha256, sm3);

    /// <summary>0 to 8 attributes with distinct keys (any text, including empty) and any values.</summary>
    public static Gen<IReadOnlyDictionary<string, string>> Attributes { get; } =
        Gen.Choose(0, 8)
            .SelectMany(n => Gen.ListOf(Gen.Zip(Gens.Text(0, 12), Gens.Text(0, 40)), n))
            .Select(pairs =>
            {
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in pairs)
                {
                    map[key] = value;
                }

                return (IReadOnlyDictionary<string, string>)map;
            });
}
