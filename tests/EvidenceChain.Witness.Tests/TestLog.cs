using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;

namespace EvidenceChain.Witness.Tests;

/// <summary>A log in memory: leaves, its key, signed checkpoints and consistency proofs of any of its sizes.</summary>
internal sealed class TestLog(NoteSigner key, string leafPrefix = "leaf")
{
    private readonly List<Hash> _leaves = [];

    public TestLog(string origin, byte seed, string leafPrefix = "leaf")
        : this(NoteSigner.FromSeed(origin, Enumerable.Repeat(seed, 32).ToArray()), leafPrefix)
    {
    }

    public NoteSigner Key { get; } = key;

    public int Size => _leaves.Count;

    public TestLog Grow(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _leaves.Add(Core.Merkle.Rfc6962.HashLeaf(Encoding.UTF8.GetBytes($"{leafPrefix} {_leaves.Count}")));
        }

        return this;
    }

    public Hash Root(int size) => size == 0 ? Core.Merkle.Rfc6962.EmptyRoot : new ReferenceTree(_leaves.Take(size)).Root();

    public string Checkpoint(int size) => CheckpointNote.Sign(new Checkpoint(Key.Name, (ulong)size, Root(size)), Key);

    public Hash[] Proof(int oldSize, int newSize) =>
        oldSize == 0 || oldSize == newSize ? [] : new ReferenceTree(_leaves.Take(newSize)).ConsistencyProof(oldSize);

    /// <summary>The add-checkpoint body for the checkpoint of <paramref name="newSize"/> with a proof from <paramref name="oldSize"/>.</summary>
    public string Request(int oldSize, int newSize) => Body(oldSize, Proof(oldSize, newSize), Checkpoint(newSize));

    public static string Body(long oldSize, IEnumerable<Hash> proof, string checkpoint)
    {
        var body = new StringBuilder().Append("old ").Append(oldSize).Append('\n');
        foreach (var hash in proof)
        {
            body.Append(hash.ToBase64()).Append('\n');
        }

        return body.Append('\n').Append(checkpoint).ToString();
    }
}
