using System.Net;
using EvidenceChain.Ledger.Tests;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Node.Internal;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>The external TSA client against answers from the network: whatever comes back, a bad answer is a TimestampException.</summary>
public sealed class HttpTimestampSourceTests : IDisposable
{
    private static readonly Uri Url = new("http://tsa.test/tsa");
    private readonly TsaCredentials _credentials = TestTsa.Create();
    private readonly TimeStampAuthority _tsa;

    public HttpTimestampSourceTests()
    {
        _tsa = new TimeStampAuthority(_credentials, new CountingSerials(), TimeProvider.System, TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _credentials.Dispose();

    [Fact]
    public async Task GenuineAnswer_Accepted()
    {
        using var http = new HttpClient(new Answering(body => _tsa.Respond(body)));

        var response = await new HttpTimestampSource(http, Url).TimestampAsync("note text\n"u8.ToArray(), CancellationToken.None);

        Assert.NotEmpty(response);
    }

    [Fact]
    public async Task MangledAnswers_OnlyEverTimestampException()
    {
        var random = new Random(1234);
        for (var i = 0; i < 400; i++)
        {
            using var http = new HttpClient(new Answering(body =>
            {
                var answer = _tsa.Respond(body);
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    answer[random.Next(answer.Length)] ^= (byte)random.Next(1, 256);
                }

                return random.Next(10) == 0 ? answer[..random.Next(answer.Length)] : answer;
            }));

            try
            {
                await new HttpTimestampSource(http, Url).TimestampAsync("note text\n"u8.ToArray(), CancellationToken.None);
            }
            catch (TimestampException)
            {
                // the only acceptable failure
            }
        }
    }

    [Fact]
    public async Task AnswerForAnotherRequest_Refused()
    {
        var other = _tsa.Respond(new Org.BouncyCastle.Tsp.TimeStampRequestGenerator().Generate(
            Org.BouncyCastle.Tsp.TspAlgorithms.Sha256, new byte[32]).GetEncoded());
        using var http = new HttpClient(new Answering(_ => other));

        var e = await Assert.ThrowsAsync<TimestampException>(() => new HttpTimestampSource(http, Url).TimestampAsync("note text\n"u8.ToArray(), CancellationToken.None));

        Assert.Contains("does not match the request", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimestampAsync_TsaUnreachable_TimestampExceptionWithTheHttpMessage()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (tsa.test:80)");
        using var http = new HttpClient(new Failing(refused));

        var e = await Assert.ThrowsAsync<TimestampException>(() => new HttpTimestampSource(http, Url).TimestampAsync("note text\n"u8.ToArray(), CancellationToken.None));

        Assert.Equal("Connection refused (tsa.test:80)", e.Message);
        Assert.Same(refused, e.InnerException);
    }

    private sealed class Failing(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(failure);
    }

    private sealed class Answering(Func<byte[], byte[]> answer) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(answer(body)) };
        }
    }
}
