using EvidenceChain.Api.V1;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>An entry as a caller without a key sees it: the same, without the disclosed clear values.</summary>
public static class PublicView
{
    public static Entry Public(this Entry entry)
    {
        var copy = entry.Clone();
        copy.Disclosed.Clear();
        return copy;
    }
}
