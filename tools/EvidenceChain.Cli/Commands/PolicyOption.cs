using EvidenceChain.Core.Notes;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// The <c>--policy FILE</c> of <c>verify</c> and <c>verify-case</c>: a witness policy in the C2SP tlog-policy syntax
/// (docs/formats.md §6c), and the log key it may stand in for.
/// </summary>
internal static class PolicyOption
{
    /// <summary>The one-line help of the option.</summary>
    public const string Help =
        "a witness policy (C2SP tlog-policy: witness lines, a k-of-n group, the quorum): the witnesses step then requires a quorum of valid cosignatures over the receipt's checkpoint (without it the step is SKIP)";

    /// <summary>The policy in the file <c>--policy</c> names, or null when none is given.</summary>
    /// <exception cref="UsageException">The file is missing, unreadable, too large or not a valid policy.</exception>
    public static WitnessPolicy? Read(Arguments args)
    {
        if (args.Optional("policy") is not { } file)
        {
            return null;
        }

        if (!File.Exists(file))
        {
            throw new UsageException($"--policy {file}: no such file");
        }

        byte[] bytes;
        try
        {
            var length = new FileInfo(file).Length;
            if (length > WitnessPolicy.MaxBytes)
            {
                throw new UsageException($"--policy {file} is {length} bytes; a policy is at most {WitnessPolicy.MaxBytes}");
            }

            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--policy {file} cannot be read: {e.Message}");
        }

        try
        {
            return WitnessPolicy.Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--policy {file}: {e.Message}");
        }
    }

    /// <summary>
    /// The pinned log key: <c>--log-key</c>, or else the one log the policy lists (a policy is a trust anchor too).
    /// </summary>
    /// <exception cref="UsageException">Neither gives exactly one key, or the key is bad.</exception>
    public static NoteVerifier LogKey(Arguments args, WitnessPolicy? policy)
    {
        if (args.Optional("log-key") is { } given)
        {
            return VerifyCommand.ReadLogKey(given);
        }

        return policy?.Logs switch
        {
            [{ } only] => only.Key,
            [_, _, ..] => throw new UsageException("--log-key is required: the --policy lists several logs; pin the one that signed this receipt"),
            _ => throw new UsageException("--log-key is required (or a --policy whose log line names the log)"),
        };
    }
}
