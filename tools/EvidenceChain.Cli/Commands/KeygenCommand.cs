using System.Security.Cryptography;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>keygen</c>: a fresh Ed25519 signed-note key pair.</summary>
internal static class KeygenCommand
{
    public static int Run(Arguments args, CliConsole console)
    {
        if (args.Flag("help"))
        {
            console.Out.WriteLine("""
                evidencectl keygen --name ORIGIN --out DIR
                Creates an Ed25519 signed-note key pair named ORIGIN: DIR/log.key (private, mode 0600) and
                DIR/log.vkey (the verifier key, also printed). Refuses to overwrite existing keys.
                """);
            return ExitCode.Verified;
        }

        var name = args.Required("name");
        var dir = args.Required("out");
        args.EnsureAllUsed(0);

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
