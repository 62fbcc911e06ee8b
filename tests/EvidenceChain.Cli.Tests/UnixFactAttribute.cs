namespace EvidenceChain.Cli.Tests;

/// <summary>A fact about Unix behaviour (file modes): skipped, visibly, on Windows.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only";
        }
    }
}
