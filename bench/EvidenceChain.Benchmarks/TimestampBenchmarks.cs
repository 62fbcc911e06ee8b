using BenchmarkDotNet.Attributes;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Storage;

namespace EvidenceChain.Benchmarks;

/// <summary>
/// The built-in TSA: one RFC 3161 token over a checkpoint's note text (the cost the node pays per published
/// checkpoint), and one answer to a DER TimeStampReq as <c>POST /tsa</c> gets it (parse, sign, encode).
/// Tokens/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TimestampBenchmarks
{
    private readonly byte[] _noteText = "bench.example/log\n1234567\nQ1HZEfhHXigrqq4LDJwVA8fpPlbodI5NRloTk4lCQg0=\n"u8.ToArray();
    private string _path = string.Empty;
    private TsaCredentials? _credentials;
    private TimeStampAuthority _tsa = null!;
    private byte[] _request = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "ec-bench-tsa-" + Guid.NewGuid().ToString("N"));
        _credentials = TsaKeyFiles.LoadOrCreate(_path, "bench.example/log", TimeProvider.System);
        _tsa = new TimeStampAuthority(_credentials, new TsaSerialFile(_path), TimeProvider.System, TimeSpan.FromSeconds(1));
        var request = new Org.BouncyCastle.Tsp.TimeStampRequestGenerator();
        request.SetCertReq(true);
        _request = request.Generate(Org.BouncyCastle.Tsp.TspAlgorithms.Sha256, System.Security.Cryptography.SHA256.HashData(_noteText)).GetEncoded();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _credentials?.Dispose();
        Directory.Delete(_path, recursive: true);
    }

    [Benchmark(Description = "token over a checkpoint")]
    public Task<byte[]> Checkpoint() => _tsa.TimestampAsync(_noteText, CancellationToken.None);

    [Benchmark(Description = "POST /tsa answer")]
    public byte[] Respond() => _tsa.Respond(_request);
}
