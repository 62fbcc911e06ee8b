using System.Globalization;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// The optional <c>--key VKEY</c> of the commands that check a node's checkpoint, and reading a checkpoint when no key
/// is pinned.
/// </summary>
internal static class LogKeyOption
{
    /// <summary>The skip reason printed when no key was given.</summary>
    public const string NoKey = "no --key given, so the checkpoint is only the node's word; pin the log's verifier key (the node's keys/log.vkey) with --key";

    /// <summary>The pinned log key, or null.</summary>
    /// <exception cref="UsageException">The value is not a verifier key.</exception>
    public static NoteVerifier? Read(Arguments args)
    {
        if (args.Optional("key") is not { } given)
        {
            return null;
        }

        var text = KeyArgument.Read("--key", given);

        try
        {
            return NoteVerifier.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--key \"{text}\" is not a verifier key: {e.Message}");
        }
    }

    /// <summary>
    /// The checkpoint in <paramref name="signedNote"/>: verified under <paramref name="key"/> when one is pinned (a
    /// step that passes or fails), else read without checking its signature (a skipped step). Null when it failed.
    /// </summary>
    public static Checkpoint? Open(string signedNote, NoteVerifier? key, StepReport report)
    {
        if (key is not null)
        {
            var opened = CheckpointNote.Open(signedNote, key);
            var detail = opened.IsValid
                ? string.Create(CultureInfo.InvariantCulture, $"size {opened.Checkpoint.Size} root {opened.Checkpoint.Root}, signed by {key.Name}+{key.KeyId:x8}")
                : opened.Message;
            return report.Add("checkpoint signature", opened.IsValid, detail)
                ? opened.Checkpoint
                : null;
        }

        report.Skip("checkpoint signature", NoKey);

        // A signed note is its text, a blank line, then the signature lines; the text ends with a newline.
        var end = signedNote.IndexOf("\n\n", StringComparison.Ordinal);
        if (end >= 0 && Checkpoint.TryParse(signedNote[..(end + 1)], out var checkpoint, out _))
        {
            return checkpoint;
        }

        report.Add("checkpoint format", false, "the node's checkpoint is not a signed checkpoint note");
        return null;
    }
}
