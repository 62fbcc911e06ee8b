using System.Globalization;
using System.Text;
using EvidenceChain.Core;

namespace EvidenceChain.Witness.Internal;

/// <summary>
/// The body of <c>POST /add-checkpoint</c> (c2sp.org/tlog-witness): <c>old N\n</c>, up to 63 consistency proof lines
/// (base64 hashes), an empty line, then the signed checkpoint. Parsed strictly; the checkpoint is left as bytes.
/// </summary>
/// <remarks>Immutable.</remarks>
internal sealed class AddCheckpointRequest
{
    /// <summary>The most consistency proof lines a client may send.</summary>
    public const int MaxProofLines = 63;

    private AddCheckpointRequest(ulong oldSize, Hash[] proof, ReadOnlyMemory<byte> note)
    {
        OldSize = oldSize;
        Proof = proof;
        Note = note;
    }

    /// <summary>The size of the previous checkpoint the client believes the witness cosigned (0: none).</summary>
    public ulong OldSize { get; }

    /// <summary>The consistency proof from <see cref="OldSize"/> to the checkpoint's size.</summary>
    public Hash[] Proof { get; }

    /// <summary>The signed checkpoint note, unverified.</summary>
    public ReadOnlyMemory<byte> Note { get; }

    /// <summary>Parses a request body, or returns false and a one-line reason. Never throws for any bytes.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out AddCheckpointRequest? request, out string error)
    {
        request = null;
        var rest = body.Span;
        if (!TryTakeLine(ref rest, out var first) || !first.StartsWith("old "u8))
        {
            error = "the body must start with the line \"old <size>\"";
            return false;
        }

        if (!TryParseSize(first[4..], out var oldSize))
        {
            error = "the old size must be a decimal number without leading zeros";
            return false;
        }

        var proof = new List<Hash>();
        while (true)
        {
            if (!TryTakeLine(ref rest, out var line))
            {
                error = "no empty line ends the consistency proof";
                return false;
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (proof.Count == MaxProofLines)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"more than {MaxProofLines} consistency proof lines");
                return false;
            }

            var text = Encoding.ASCII.GetString(line);
            if (line.Length != 44 || !Hash.TryParseBase64(text, out var hash) || hash.ToBase64() != text)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"consistency proof line {proof.Count + 1} is not a base64 SHA-256 hash");
                return false;
            }

            proof.Add(hash);
        }

        if (rest.IsEmpty)
        {
            error = "no checkpoint follows the empty line";
            return false;
        }

        request = new AddCheckpointRequest(oldSize, [.. proof], body[(body.Length - rest.Length)..]);
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The checkpoint's origin: its first line, when that is non-empty UTF-8. Used to find the log's keys before the
    /// note is verified; a wrong origin then fails the signature check.
    /// </summary>
    public bool TryReadOrigin(out string origin)
    {
        origin = string.Empty;
        var note = Note.Span;
        var end = note.IndexOf((byte)'\n');
        if (end <= 0 || !System.Text.Unicode.Utf8.IsValid(note[..end]))
        {
            return false;
        }

        origin = Encoding.UTF8.GetString(note[..end]);
        return true;
    }

    private static bool TryTakeLine(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> line)
    {
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = default;
            return false;
        }

        line = rest[..end];
        rest = rest[(end + 1)..];
        return true;
    }

    private static bool TryParseSize(ReadOnlySpan<byte> digits, out ulong size)
    {
        size = 0;
        if (digits.IsEmpty || digits.Length > 20 || (digits[0] == (byte)'0' && digits.Length > 1))
        {
            return false;
        }

        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
