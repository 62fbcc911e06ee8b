using System.Globalization;
using System.Text;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Storage;

/// <summary>
/// Time-stamp serial numbers that never repeat, even across crashes: <c>keys/tsa.serial</c> holds the next free
/// block number; opening reserves a block (writing the file durably first) and serials are
/// <c>block * 2^32 + n</c> for n = 0, 1, ... within it. A crash wastes the rest of a block, never reuses it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class TsaSerialFile : ITsaSerialNumbers
{
    /// <summary>The file's name in the keys folder.</summary>
    public const string FileName = "tsa.serial";

    private const ulong BlockSize = 1UL << 32;
    private readonly string _path;
    private readonly Lock _lock = new();
    private ulong _block;
    private ulong _next = BlockSize; // nothing reserved yet

    /// <summary>Opens the counter in <paramref name="keysPath"/>, creating it at block 1 when absent.</summary>
    /// <exception cref="InvalidDataException">The file exists but does not hold a block number.</exception>
    public TsaSerialFile(string keysPath)
    {
        _path = Path.Combine(keysPath, FileName);
        if (ReadBlock(_path) is { } block)
        {
            _block = block - 1;
        }

        lock (_lock)
        {
            Reserve();
        }
    }

    /// <summary>The next free block the file at <paramref name="path"/> holds; null when there is no file.</summary>
    /// <exception cref="InvalidDataException">The file exists but does not hold a block number.</exception>
    internal static ulong? ReadBlock(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var block) || block == 0 || block == ulong.MaxValue)
        {
            throw new InvalidDataException($"{path} must hold the next free serial block as a decimal number; it holds \"{text}\".");
        }

        return block;
    }

    /// <inheritdoc/>
    public UInt128 Allocate()
    {
        lock (_lock)
        {
            if (_next == BlockSize)
            {
                Reserve();
            }

            return ((UInt128)_block * BlockSize) + _next++;
        }
    }

    private void Reserve()
    {
        var block = _block + 1;
        var temp = _path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temp, options))
        {
            file.Write(Encoding.ASCII.GetBytes((block + 1).ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        Durable.SyncDirectory(Path.GetDirectoryName(_path)!);
        _block = block;
        _next = 0;
    }
}
