using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Storage;

/// <summary>
/// Openings in the data folder: one file per entry, <c>openings/&lt;hex[0:2]&gt;/&lt;64 hex&gt;.json</c>, named by the
/// entry's first commitment and holding its canonical disclosure (docs/formats.md §1.5, §8). Each is written to a
/// temporary file, fsync'd, renamed into place and its folder fsync'd before the entry that needs it is appended.
/// Files and folders are 0600 and 0700.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FileOpeningStore : IOpeningStore
{
    /// <summary>The extension of an openings file.</summary>
    public const string Extension = ".json";

    private readonly string _root;

    /// <summary>Creates the store over <paramref name="root"/> (created on first write).</summary>
    public FileOpeningStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = root;
    }

    /// <summary>The path of the openings stored under <paramref name="key"/>.</summary>
    public string PathOf(Hash key)
    {
        var hex = key.ToString();
        return Path.Combine(_root, hex[..2], hex + Extension);
    }

    /// <inheritdoc/>
    public async Task SaveAsync(Hash key, ReadOnlyMemory<byte> disclosure, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var folder = Path.GetDirectoryName(path)!;
        Durable.CreateDirectory(folder, changed);
        await Durable.WriteFileAsync(path, disclosure, cancellationToken);
        changed.Add(folder);
        foreach (var d in changed)
        {
            Durable.SyncDirectory(d);
        }
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadAsync(Hash key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every stored key with its path (files named otherwise are listed with a null key), for the audit.</summary>
    internal IEnumerable<(Hash? Key, string Path)> List()
    {
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var ok = name.EndsWith(Extension, StringComparison.Ordinal) && Hash.TryParse(name[..^Extension.Length], out var key)
                && key.ToString() == name[..^Extension.Length] && PathOf(key) == path;
            yield return (ok ? Hash.Parse(name[..^Extension.Length]) : null, path);
        }
    }
}
