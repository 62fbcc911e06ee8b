namespace EvidenceChain.Testing;

/// <summary>
/// Collects the failures of a table-driven test so it reports every failing case at once, in full.
/// (<c>Assert.Empty</c> would also fail, but prints only the first few messages, cut at 50 characters.)
/// </summary>
public sealed class CaseFailures
{
    private readonly List<string> _messages = [];

    /// <summary>The failures so far.</summary>
    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Records one failing case.</summary>
    public void Add(string message) => _messages.Add(message);

    /// <summary>Fails the test, listing every recorded failure, one per line, when there are any.</summary>
    public void AssertNone()
    {
        if (_messages.Count > 0)
        {
            Assert.Fail($"{_messages.Count} failing case(s):{Environment.NewLine}{string.Join(Environment.NewLine, _messages)}");
        }
    }
}
