namespace EvidenceChain.Cli;

/// <summary>The CLI's exit codes.</summary>
internal static class ExitCode
{
    /// <summary>Everything checked out.</summary>
    public const int Verified = 0;

    /// <summary>A verification failed; the reason was printed.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or malformed input.</summary>
    public const int Usage = 2;

    /// <summary>
    /// <c>mirror</c> refused the log: it contradicts its own signed checkpoint or the history the mirror holds (a
    /// split view); the mirror kept its state and saved the evidence.
    /// </summary>
    public const int Refused = 3;
}
