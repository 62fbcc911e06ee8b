namespace EvidenceChain.Architecture.Tests;

/// <summary>
/// One production project as the architecture tests see it: its assembly, the namespace all its types live under, the
/// exact assemblies it may reference (System.* included, so a new framework dependency is a conscious choice), the I/O
/// it must not do, and the breaches of those rules that are known and waiting for a fix (each exactly as the check
/// reports it, so that any other breach, or the same type used in a new way, still fails).
/// </summary>
internal sealed record ProductionAssembly(
    string Project,
    string AssemblyName,
    string RootNamespace,
    string[] References,
    IoRule[] IoRules,
    string[] KnownIoViolations)
{
    public override string ToString() => Project;
}
