namespace EvidenceChain.Architecture.Tests;

/// <summary>A top-level type an assembly defines.</summary>
internal sealed record DefinedType(string Namespace, string Name, bool MadeUpByCompiler)
{
    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "." + Name;
}
