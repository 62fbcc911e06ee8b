using System.Text;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>note verify</c>: checks a C2SP signed note against one or more verifier keys.</summary>
internal static class NoteCommands
{
    private const int MaxNoteBytes = 1 << 20;

    public static async Task<int> VerifyAsync(Arguments args, CliConsole console)
    {
        var keys = args.All("key").Select(k => ParseKey(KeyArgument.Read("--key", k))).ToList();
        if (keys.Count == 0)
        {
            throw new UsageException("--key is required (a verifier key name+hex8+base64)");
        }


        // SignedNote.Open throws for two different keys with one name and key ID (32 bits, so they can be made).
        var clash = keys.GroupBy(k => (k.Name, k.KeyId)).FirstOrDefault(g => g.Distinct().Skip(1).Any());
        if (clash is not null)
        {
            throw new UsageException(
                $"two different --key values share the name and key ID {clash.Key.Name}+{clash.Key.KeyId:x8}; give only the right one");
        }

        var note = await ReadNoteAsync(args.Positional.FirstOrDefault() ?? "-", console);
        var result = SignedNote.Open(note, keys);
        if (result.IsValid)
        {
            await console.Out.WriteLineAsync($"verified: signed by {string.Join(", ", result.VerifiedBy)}");
            return ExitCode.Verified;
        }

        if (result.Failure == NoteFailure.Malformed)
        {
            throw new UsageException($"not a signed note: {result.Message}");
        }

        await console.Out.WriteLineAsync($"FAILED: {result.Message}");
        return ExitCode.Failed;
    }

    private static NoteVerifier ParseKey(string text)
    {
        try
        {
            return NoteVerifier.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--key \"{text}\" is not a verifier key: {e.Message}");
        }
    }

    private static async Task<string> ReadNoteAsync(string file, CliConsole console)
    {
        string text;
        if (file == "-")
        {
            var buffer = new char[MaxNoteBytes + 1];
            var read = await console.In.ReadBlockAsync(buffer);
            if (read > MaxNoteBytes)
            {
                throw new UsageException($"the note on stdin is larger than {MaxNoteBytes} bytes");
            }

            text = new string(buffer, 0, read);
        }
        else
        {
            FileInfo info;
            try
            {
                info = new FileInfo(file);
            }
            catch (ArgumentException)
            {
                // An empty name, or one holding a NUL character.
                throw new UsageException($"\"{file}\" is not a file name");
            }

            if (!info.Exists)
            {
                throw new UsageException($"{file}: no such file");
            }

            if (info.Length > MaxNoteBytes)
            {
                throw new UsageException($"{file} is {info.Length} bytes; a note is at most {MaxNoteBytes}");
            }

            var bytes = await File.ReadAllBytesAsync(file);
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new UsageException($"{file} is not UTF-8 text");
            }
        }

        if (text.Length == 0)
        {
            throw new UsageException("the note is empty");
        }

        return text;
    }
}
