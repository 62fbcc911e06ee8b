namespace EvidenceChain.Tests;

public sealed class HashTests
{
    [Fact]
    public void Parse_RoundTripsLowercaseHex()
    {
        var text = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
        Assert.Equal(text, Hash.Parse(text).ToString());
    }
}
