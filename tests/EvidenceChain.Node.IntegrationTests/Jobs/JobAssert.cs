using EvidenceChain.Api.V1;
using EvidenceChain.Ledger;

namespace EvidenceChain.Node.IntegrationTests.Jobs;

/// <summary>Waiting for and reading back what jobs and watches did.</summary>
internal static class JobAssert
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds, failing after two minutes with the last value.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}; last: {value}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Every webpage entry in the ledger whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public static async Task<List<StoredEntry>> TaggedAsync(EvidenceLedger ledger, string tag, string value)
    {
        var found = new List<StoredEntry>();
        ulong index = 0;
        while (index < ledger.Size)
        {
            var entries = await ledger.GetEntriesAsync(index, 256);
            found.AddRange(entries.Where(e => e.Entry.Draft.Attributes.GetValueOrDefault(tag) == value));
            index += (ulong)entries.Count;
        }

        return found;
    }

    public static bool Finished(CaptureJob job) => job.State == "done";
}
