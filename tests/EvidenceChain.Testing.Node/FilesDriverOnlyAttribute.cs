namespace EvidenceChain.Testing.Node;

/// <summary>
/// Marks a test, or every test of a class, that checks the files driver itself (its data folder's layout, its files'
/// bytes, its locks): the postgres run of the integration tests skips it, giving <see cref="Reason"/>.
/// </summary>
/// <param name="reason">Why the test is about the files driver only.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class FilesDriverOnlyAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}
