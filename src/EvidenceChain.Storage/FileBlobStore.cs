using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Internal;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage;

/// <summary>
/// Content-addressed artefact storage. Content up to 64 KiB is packed into shared append-only files
/// (<c>packs/NNNNNNNN.pack</c>, see <see cref="BlobPacks"/>); larger content streams into a temporary file while it is
/// hashed (SHA-256, and SM3 when asked), which is then renamed to <c>sha256/ab/cd/&lt;64 hex&gt;</c> and made durable.
/// Storing the same content twice keeps one copy.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FileBlobStore : IBlobStore, IDisposable
{
    private const int BufferSize = 1 << 16;

    // Uploads in progress are spread over this many folders: creating a file locks its folder, and one folder for
    // every concurrent upload serialises them all.
    private const int TempFolders = 64;
    private readonly string _root;

    /// <summary>
    /// Opens the store in <paramref name="root"/>. The <paramref name="writer"/> (one per folder) creates the folder,
    /// removes temporary files left by a crash and cuts a torn tail off the newest pack; a reader only looks.
    /// </summary>
    internal FileBlobStore(string root, bool writer = true)
        : this(root, writer, BlobPacks.DefaultRollAt)
    {
    }

    internal FileBlobStore(string root, bool writer, long packRollAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        Barrier = new SyncBarrier(_root);
        if (writer)
        {
            OwnerOnly.CreateDirectory(TempPath);
            for (var i = 0; i < TempFolders; i++)
            {
                OwnerOnly.CreateDirectory(Path.Combine(TempPath, i.ToString("x2", CultureInfo.InvariantCulture)));
            }

            foreach (var leftover in Directory.EnumerateFiles(TempPath, "*", SearchOption.AllDirectories))
            {
                File.Delete(leftover);
            }
        }

        Packs = new BlobPacks(Path.Combine(_root, "packs"), writer, packRollAt);
    }

    /// <summary>The packed small blobs.</summary>
    internal BlobPacks Packs { get; }

    private string TempPath => Path.Combine(_root, "tmp");

    /// <summary>
    /// Stores <paramref name="content"/> and returns its size and digests. Content longer than
    /// <paramref name="maxSize"/> is refused and nothing is kept.
    /// </summary>
    /// <exception cref="BlobTooLargeException">The content exceeds <paramref name="maxSize"/>.</exception>
    public async Task<ArtefactDigests> PutAsync(Stream content, bool withSm3, long maxSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        await using var upload = BeginUpload(withSm3);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (upload.Length + read > maxSize)
            {
                throw new BlobTooLargeException($"Content exceeds the limit of {maxSize} bytes.");
            }

            await upload.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        var digests = await upload.CompleteAsync(cancellationToken);
        await upload.CommitAsync(cancellationToken);
        return digests;
    }

    /// <inheritdoc/>
    public IBlobUpload BeginUpload(bool withSm3) => new FileBlobUpload(this, withSm3);

    /// <summary>True when a blob with this SHA-256 is stored.</summary>
    internal bool Contains(Hash sha256) => Packs.Contains(sha256) || File.Exists(PathOf(sha256));

    /// <inheritdoc/>
    public Stream? OpenRead(Hash sha256)
    {
        if (Packs.Read(sha256) is { } packed)
        {
            return new MemoryStream(packed, writable: false);
        }

        var path = PathOf(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true) : null;
    }

    /// <summary>Stops writing packs (whatever is waiting is written first).</summary>
    public void Dispose() => Packs.Dispose();

    /// <summary>A new temporary file for an upload too large to pack.</summary>
    internal (string Path, SafeFileHandle File) CreateTemporary()
    {
        var path = Path.Combine(
            TempPath, RandomNumberGenerator.GetInt32(TempFolders).ToString("x2", CultureInfo.InvariantCulture), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        return (path, OwnerOnly.Restrict(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)));
    }

    /// <summary>
    /// Every blob stored in a file of its own: its path and the SHA-256 its name claims, for audits; names that are
    /// not digests are reported as null. Packed blobs are in <see cref="Packs"/>.
    /// </summary>
    internal IEnumerable<(string Path, Hash? Claimed)> Enumerate()
    {
        var root = Path.Combine(_root, "sha256");
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(path);
            var ok = Hash.TryParse(name, out var claimed) && name == claimed.ToString() && path == PathOf(claimed);
            yield return (path, ok ? claimed : null);
        }
    }

    /// <summary>The path a blob with this SHA-256 is stored at.</summary>
    internal string PathOf(Hash sha256)
    {
        var hex = sha256.ToString();
        return Path.Combine(_root, "sha256", hex[..2], hex[2..4], hex);
    }

    /// <summary>
    /// Stores a completed temporary file under its digest's name and makes that durable. When the caller fsync'd the
    /// content itself (<paramref name="contentDurable"/>, a large file) the rename is made durable by fsyncing the
    /// folders it changed. Otherwise, on Linux, the rename comes first and one group sync (<see cref="SyncBarrier"/>)
    /// then covers content and name together; a crash before that sync can leave a file whose content is not whole
    /// under a digest's name, but no entry lists it (the entry is appended only after this returns), and a later
    /// upload of the same content finds the mismatch and replaces it.
    /// </summary>
    internal async Task CommitAsync(string temp, Hash sha256, bool contentDurable, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var folder = Path.GetDirectoryName(path)!;
        Durable.CreateDirectory(folder, changed);
        changed.Add(folder);
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Stored before (or by a concurrent upload): keep that copy if it is whole, else replace it with ours.
            if (!await HoldsAsync(path, sha256, cancellationToken))
            {
                File.Move(temp, path, overwrite: true);
            }
        }

        if (SyncBarrier.IsGrouped && !contentDurable)
        {
            // A whole-file-system sync also writes whatever else is dirty on it: right for many small files at once,
            // not for one large file whose content is on disk already.
            await Barrier.WaitAsync(cancellationToken);
            return;
        }

        foreach (var f in changed)
        {
            Durable.SyncDirectory(f);
        }
    }

    private static async Task<bool> HoldsAsync(string path, Hash sha256, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, useAsync: false);
        return new Hash(await SHA256.HashDataAsync(file, cancellationToken)) == sha256;
    }

    /// <summary>Group durability for uploads (see <see cref="SyncBarrier"/>).</summary>
    internal SyncBarrier Barrier { get; }
}
