using System.Globalization;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// A writer for the crash test: appends entries (some with a blob) from several tasks as fast as it can and
// prints "ACK <index> <leafhash> <blob sha256 or ->" for each acknowledged append, until it is killed.
// Usage: EvidenceChain.CrashWriter DATA_DIR [SEED]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: EvidenceChain.CrashWriter DATA_DIR [SEED]");
    return 2;
}

var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var options = new LedgerOptions { MaxBatchSize = 64, MaxBatchDelay = TimeSpan.FromMilliseconds(2) };
await using var ledger = await FileLedger.OpenAsync(
    args[0], "crash.test/log", options, TimeProvider.System, NullLoggerFactory.Instance);
var output = TextWriter.Synchronized(Console.Out);
output.WriteLine($"READY {ledger.Ledger.Size}");

var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
{
    var random = new Random(seed * 31 + w);
    for (var n = 0; ; n++)
    {
        var artefacts = new List<Artefact>();
        string blob = "-";
        if (n % 5 == 0)
        {
            var content = new byte[random.Next(0, 4096)];
            random.NextBytes(content);
            using var stream = new MemoryStream(content);
            var digests = await ledger.Blobs.PutAsync(stream, withSm3: true, long.MaxValue, CancellationToken.None);
            artefacts.Add(new Artefact("blob.bin", "application/octet-stream", digests.Size, digests.Sha256, digests.Sm3));
            blob = digests.Sha256.ToString();
        }

        var draft = new EntryDraft(
            "file",
            $"writer-{w}",
            artefacts,
            new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture), ["pad"] = new string('x', random.Next(0, 512)) });
        var result = await ledger.Ledger.AppendAsync(draft);
        output.WriteLine($"ACK {result.Index} {result.LeafHash} {blob}");
    }
})).ToArray();

await Task.WhenAll(writers);
return 0;
