using System.Globalization;
using System.Text;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Storage;

/// <summary>
/// The witnesses' cosignatures, in one small file beside the checkpoints, <c>log/cosignatures</c>, replaced whole
/// (temporary file, fsync, rename, fsync of the folder) after every cosigning round. UTF-8 text:
/// <code>
/// evidencechain-cosignatures 1
/// witness SIZE NAME              one line per witness: the size it last cosigned
/// latest SIZE LENGTH NAME...     the newest cosigned checkpoint: its size, the length in bytes of the note that
/// NOTE                           follows the line, and the witnesses whose cosignature lines the note carries
/// quorum SIZE LENGTH NAME...     the newest checkpoint meeting the quorum, the same way
/// NOTE
/// </code>
/// </summary>
/// <remarks>One writer, any number of readers. A crash leaves the previous file or the new one, never a mix.</remarks>
public sealed class FileCosignatureStore : ICosignatureStore
{
    /// <summary>The file's name in the log folder.</summary>
    public const string FileName = "cosignatures";

    private const string Magic = "evidencechain-cosignatures 1";
    private readonly string _path;
    private volatile CosignatureState _current;

    /// <summary>Opens the store in a ledger's log folder (the file is created by the first save).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not in the format above.</exception>
    public FileCosignatureStore(string logPath)
    {
        OwnerOnly.CreateDirectory(logPath);
        _path = Path.Combine(logPath, FileName);
        _current = File.Exists(_path) ? Decode(File.ReadAllBytes(_path)) : CosignatureState.Empty;
    }

    /// <inheritdoc/>
    public CosignatureState Current => _current;

    /// <inheritdoc/>
    public async Task SaveAsync(CosignatureState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await Durable.WriteFileAsync(_path, Encode(state), cancellationToken);
        Durable.SyncDirectory(Path.GetDirectoryName(_path)!);
        _current = state;
    }

    /// <summary>The file's bytes for <paramref name="state"/>.</summary>
    internal static byte[] Encode(CosignatureState state)
    {
        var text = new StringBuilder(Magic).Append('\n');
        foreach (var w in state.Witnesses)
        {
            CheckName(w.Name);
            text.Append(CultureInfo.InvariantCulture, $"witness {w.Size} {w.Name}\n");
        }

        Append(text, "latest", state.Latest);
        Append(text, "quorum", state.Quorum);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads the file's bytes back.</summary>
    /// <exception cref="InvalidDataException">Not in the format.</exception>
    internal static CosignatureState Decode(byte[] bytes)
    {
        var position = 0;
        if (ReadLine(bytes, ref position) != Magic)
        {
            throw Bad($"does not start with \"{Magic}\"");
        }

        var witnesses = new List<WitnessRecord>();
        CosignedCheckpoint? latest = null, quorum = null;
        while (position < bytes.Length)
        {
            var fields = ReadLine(bytes, ref position).Split(' ');
            switch (fields[0])
            {
                case "witness" when fields.Length == 3:
                    witnesses.Add(new WitnessRecord(fields[2], ParseSize(fields[1])));
                    break;
                case "latest" or "quorum" when fields.Length >= 3:
                    var length = int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= bytes.Length - position
                        ? n
                        : throw Bad($"a {fields[0]} note's length \"{fields[2]}\" is not a length within the file");
                    var note = new CosignedCheckpoint(ParseSize(fields[1]), Encoding.UTF8.GetString(bytes, position, length), fields[3..]);
                    position += length;
                    if (fields[0] == "latest")
                    {
                        latest = note;
                    }
                    else
                    {
                        quorum = note;
                    }

                    break;
                default:
                    throw Bad($"holds a line it does not know: \"{string.Join(' ', fields)}\"");
            }
        }

        return new CosignatureState(latest, quorum, witnesses);
    }

    private static void Append(StringBuilder text, string kind, CosignedCheckpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return;
        }

        foreach (var name in checkpoint.Witnesses)
        {
            CheckName(name);
        }

        var names = checkpoint.Witnesses.Count == 0 ? string.Empty : " " + string.Join(' ', checkpoint.Witnesses);
        text.Append(CultureInfo.InvariantCulture, $"{kind} {checkpoint.Size} {Encoding.UTF8.GetByteCount(checkpoint.SignedNote)}{names}\n")
            .Append(checkpoint.SignedNote);
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"A witness name is non-empty and holds no spaces or control characters; got \"{name}\".", nameof(name));
        }
    }

    private static string ReadLine(byte[] bytes, ref int position)
    {
        var end = Array.IndexOf(bytes, (byte)'\n', position);
        if (end < 0)
        {
            throw Bad("ends inside a line");
        }

        var line = Encoding.UTF8.GetString(bytes, position, end - position);
        position = end + 1;
        return line;
    }

    private static ulong ParseSize(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : throw Bad($"\"{text}\" is not a tree size");

    private static InvalidDataException Bad(string problem) => new($"log/{FileName} {problem}.");
}
