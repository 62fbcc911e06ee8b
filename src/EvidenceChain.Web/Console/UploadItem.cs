namespace EvidenceChain.Web.Console;

/// <summary>Where a file on the preserve page is.</summary>
internal enum UploadState
{
    /// <summary>Its SHA-256 is being computed in the browser.</summary>
    Hashing,

    /// <summary>This key already preserved a file with that SHA-256; the user decides.</summary>
    Duplicate,

    /// <summary>Waiting for a free upload.</summary>
    Queued,

    /// <summary>Its bytes are being sent.</summary>
    Uploading,

    /// <summary>All sent; the node is storing and logging it.</summary>
    Storing,

    Done,

    Failed,

    Cancelled,
}

/// <summary>One file the user dropped or picked on the preserve page, and how far it got.</summary>
/// <remarks>Used on the browser's one thread only.</remarks>
internal sealed class UploadItem(PickedFile file)
{
    public PickedFile File { get; } = file;

    public UploadState State { get; set; } = UploadState.Hashing;

    public long Hashed { get; set; }

    public long Sent { get; set; }

    public string? Sha256 { get; set; }

    /// <summary>The earlier entry with the same SHA-256, when there is one.</summary>
    public EntryInfo? Existing { get; set; }

    /// <summary>The new entry, once preserved.</summary>
    public EntryInfo? Entry { get; set; }

    /// <summary>Why it failed: the node's message, or what went wrong on the way.</summary>
    public string? Error { get; set; }

    public bool Active => State is UploadState.Hashing or UploadState.Queued or UploadState.Uploading or UploadState.Storing;

    /// <summary>Percent done of the current phase (hashing or sending).</summary>
    public int Percent => File.Size == 0 ? 100 : (int)(100 * (State == UploadState.Hashing ? Hashed : Sent) / File.Size);
}
