using System.Security.Cryptography;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>keygen</c>: a fresh Ed25519 signed-note key pair.</summary>
internal static class KeygenCommand
{
    public static int Run(Arguments args, CliConsole console)
    {
        var name = args.Required("name");
        var dir = args.Required("out");

        NoteSigner signer;
        try
        {
            signer = NoteSigner.FromSeed(name, RandomNumberGenerator.GetBytes(32));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--name \"{name}\" cannot name a key: {e.Message}");
        }

        if (File.Exists(Path.Combine(dir, LogKeyFiles.PrivateKeyFile)) || File.Exists(Path.Combine(dir, LogKeyFiles.VerifierKeyFile)))
        {
            throw new UsageException($"{dir} already holds a key; refusing to overwrite it");
        }

        try
        {
            LogKeyFiles.Write(dir, signer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"cannot write keys to {dir}: {e.Message}");
        }

        console.Out.WriteLine(signer.VerifierKey.ToString());
        console.Error.WriteLine($"private key: {Path.GetFullPath(Path.Combine(dir, LogKeyFiles.PrivateKeyFile))} (mode 0600)");
        return ExitCode.Verified;
    }
}
