using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Testing;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace EvidenceChain.Ledger.Tests;

/// <summary>
/// The built-in RFC 3161 TSA: its tokens checked by openssl (an independent implementation) and field by field, and
/// the rejections it sends for requests it cannot grant.
/// </summary>
public sealed class TimeStampAuthorityTests : IDisposable
{
    // Today at 12:34:56.535 plus ticks below a millisecond: inside the test certificate's validity (from a day ago).
    private static readonly DateTimeOffset Now = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).Add(new TimeSpan(0, 12, 34, 56, 535)).AddTicks(8979);

    private readonly TempFolder _temp = new();
    private readonly TsaCredentials _credentials = TestTsa.Create();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly TimeStampAuthority _tsa;

    public TimeStampAuthorityTests()
    {
        _tsa = new TimeStampAuthority(_credentials, new CountingSerials(), _time, TimeSpan.FromMilliseconds(1500));
    }

    public void Dispose()
    {
        _credentials.Dispose();
        _temp.Dispose();
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _temp.Sub(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string CaFile() => Write("tsa-ca.pem", Encoding.ASCII.GetBytes(_credentials.Authority.ExportCertificatePem()));

    private static TimeStampToken Token(byte[] response)
    {
        var parsed = new TimeStampResponse(response);
        Assert.True(parsed.Status == (int)PkiStatus.Granted, $"status {parsed.Status}: {parsed.GetStatusString()}");
        return parsed.TimeStampToken;
    }

    private static byte[] Request(string algorithm, byte[] digest, bool certReq = true, BigInteger? nonce = null, string? policy = null)
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(certReq);
        if (policy is not null)
        {
            generator.SetReqPolicy(new Org.BouncyCastle.Asn1.DerObjectIdentifier(policy));
        }

        return (nonce is null ? generator.Generate(algorithm, digest) : generator.Generate(algorithm, digest, nonce)).GetEncoded();
    }

    [Fact]
    public async Task TimestampAsync_Token_VerifiesWithOpensslOverTheData()
    {
        var data = Encoding.UTF8.GetBytes("example.org/log\n42\nq6uJ2Z3AbHkT6P9XqhUsHc3v6i1u1YQz0g5rRdNn0ro=\n");
        var dataFile = Write("checkpoint.txt", data);
        var responseFile = Write("checkpoint.tsr", await _tsa.TimestampAsync(data, CancellationToken.None));

        Openssl.AssertVerified(await Openssl.VerifyDataAsync(dataFile, responseFile, CaFile()));
    }

    [Fact]
    public async Task TimestampAsync_ChangedDataByte_OpensslRefuses()
    {
        var data = Encoding.UTF8.GetBytes("example.org/log\n7\nAAAA\n");
        var responseFile = Write("checkpoint.tsr", await _tsa.TimestampAsync(data, CancellationToken.None));
        data[^3] ^= 0x01;
        var dataFile = Write("changed.txt", data);

        Openssl.AssertRefused(await Openssl.VerifyDataAsync(dataFile, responseFile, CaFile()));
    }

    [Fact]
    public async Task TimestampAsync_AnotherCa_OpensslRefuses()
    {
        var data = "some checkpoint\n"u8.ToArray();
        var dataFile = Write("checkpoint.txt", data);
        var responseFile = Write("checkpoint.tsr", await _tsa.TimestampAsync(data, CancellationToken.None));
        using var other = TestTsa.Create("other");
        var otherCa = Write("other-ca.pem", Encoding.ASCII.GetBytes(other.Authority.ExportCertificatePem()));

        Openssl.AssertVerified(await Openssl.VerifyDataAsync(dataFile, responseFile, CaFile())); // the control
        Openssl.AssertRefused(await Openssl.VerifyDataAsync(dataFile, responseFile, otherCa));
    }

    [Fact]
    public async Task Respond_OpensslQuery_ReplyVerifiesWithOpensslAgainstTheQuery()
    {
        var dataFile = Write("evidence.bin", RandomNumberGenerator.GetBytes(1000));
        var query = await Openssl.QueryAsync(dataFile, _temp.Sub("q.tsq"));
        var responseFile = Write("r.tsr", _tsa.Respond(query));

        Openssl.AssertVerified(await Openssl.VerifyQueryAsync(_temp.Sub("q.tsq"), responseFile, CaFile()));
        Openssl.AssertVerified(await Openssl.VerifyDataAsync(dataFile, responseFile, CaFile()));
    }

    [Fact]
    public async Task Token_CarriesPolicyImprintGenTimeAccuracyAndEssSigningCertificateV2()
    {
        var data = "the note text\n"u8.ToArray();

        var token = Token(await _tsa.TimestampAsync(data, CancellationToken.None));

        var info = token.TimeStampInfo;
        Assert.Equal(TimeStampAuthority.PolicyOid, info.Policy);
        Assert.Equal("2.25.206451796066472297028208634299166043406", info.Policy);
        Assert.Equal(TspAlgorithms.Sha256, info.MessageImprintAlgOid);
        Assert.Equal(SHA256.HashData(data), info.GetMessageImprintDigest());
        Assert.Equal(DateTime.UtcNow.Date.Add(new TimeSpan(0, 12, 34, 56, 535)), info.GenTime.ToUniversalTime()); // milliseconds, not ticks
        Assert.Equal(1, info.GenTimeAccuracy.Seconds);
        Assert.Equal(500, info.GenTimeAccuracy.Millis);
        Assert.Equal(0, info.GenTimeAccuracy.Micros);

        var ess = token.SignedAttributes[PkcsObjectIdentifiers.IdAASigningCertificateV2];
        Assert.NotNull(ess);
        Assert.Null(token.SignedAttributes[PkcsObjectIdentifiers.IdAASigningCertificate]);
        var certId = Assert.Single(SigningCertificateV2.GetInstance(ess.AttrValues[0]).GetCerts());
        Assert.Equal(SHA256.HashData(_credentials.Certificate.RawData), certId.GetCertHash());
        token.Validate(DotNetUtilities.FromX509Certificate(_credentials.Certificate));
    }

    [Fact]
    public async Task Token_GenTimeFollowsTheTimeProvider()
    {
        var first = Token(await _tsa.TimestampAsync("a"u8.ToArray(), CancellationToken.None)).TimeStampInfo.GenTime.ToUniversalTime();
        _time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMilliseconds(250));
        var second = Token(await _tsa.TimestampAsync("a"u8.ToArray(), CancellationToken.None)).TimeStampInfo.GenTime.ToUniversalTime();

        Assert.Equal(TimeSpan.FromDays(3) + TimeSpan.FromMilliseconds(250), second - first);
    }

    [Theory]
    [InlineData(1, 0, 1, 0)]
    [InlineData(0, 250, 0, 250)]
    [InlineData(3600, 0, 3600, 0)]
    public async Task Token_AccuracyIsTheConfiguredOne(int seconds, int millis, int expectedSeconds, int expectedMillis)
    {
        var tsa = new TimeStampAuthority(_credentials, new CountingSerials(), _time, TimeSpan.FromSeconds(seconds) + TimeSpan.FromMilliseconds(millis));

        var accuracy = Token(await tsa.TimestampAsync("x"u8.ToArray(), CancellationToken.None)).TimeStampInfo.GenTimeAccuracy;

        Assert.Equal(expectedSeconds, accuracy.Seconds);
        Assert.Equal(expectedMillis, accuracy.Millis);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601000)]
    public void Constructor_AccuracyOutOfRange_Throws(int milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TimeStampAuthority(_credentials, new CountingSerials(), _time, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public async Task Token_SerialNumbersAreUniqueAndIncreasing_AlsoUnderConcurrency()
    {
        var sequential = new List<BigInteger>();
        for (var i = 0; i < 50; i++)
        {
            sequential.Add(Token(await _tsa.TimestampAsync(BitConverter.GetBytes(i), CancellationToken.None)).TimeStampInfo.SerialNumber);
        }

        for (var i = 1; i < sequential.Count; i++)
        {
            Assert.True(sequential[i].CompareTo(sequential[i - 1]) > 0, $"serial {sequential[i]} after {sequential[i - 1]}");
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            Token(await _tsa.TimestampAsync(BitConverter.GetBytes(i), CancellationToken.None)).TimeStampInfo.SerialNumber)));
        Assert.Equal(250, sequential.Concat(concurrent).Distinct().Count());
        Assert.All(concurrent, s => Assert.True(s.CompareTo(sequential[^1]) > 0));
    }

    [Fact]
    public void Respond_NonceIsEchoed()
    {
        var nonce = new BigInteger(1, RandomNumberGenerator.GetBytes(8));

        var token = Token(_tsa.Respond(Request(TspAlgorithms.Sha256, SHA256.HashData("n"u8), nonce: nonce)));

        Assert.Equal(nonce, token.TimeStampInfo.Nonce);
    }

    [Fact]
    public void Respond_NoNonceRequested_NoneInTheToken()
    {
        var token = Token(_tsa.Respond(Request(TspAlgorithms.Sha256, SHA256.HashData("n"u8))));

        Assert.Null(token.TimeStampInfo.Nonce);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Respond_CertReq_SignerCertificateIncludedOnlyWhenAsked(bool certReq)
    {
        var token = Token(_tsa.Respond(Request(TspAlgorithms.Sha256, SHA256.HashData("c"u8), certReq)));

        var certificates = token.GetCertificates().EnumerateMatches(null).ToList();
        if (certReq)
        {
            Assert.Equal(_credentials.Certificate.RawData, Assert.Single(certificates).GetEncoded());
        }
        else
        {
            Assert.Empty(certificates);
        }

        token.Validate(DotNetUtilities.FromX509Certificate(_credentials.Certificate)); // signed either way
    }

    [Fact]
    public async Task Respond_NoCertReq_OpensslVerifiesWithTheCertificateGivenSeparately()
    {
        var dataFile = Write("d.bin", "without the certificate"u8.ToArray());
        var query = await Openssl.QueryAsync(dataFile, _temp.Sub("q.tsq"), certReq: false);
        var responseFile = Write("r.tsr", _tsa.Respond(query));
        var tsaCert = Write("tsa.pem", Encoding.ASCII.GetBytes(_credentials.Certificate.ExportCertificatePem()));

        Openssl.AssertRefused(await Openssl.VerifyDataAsync(dataFile, responseFile, CaFile()));
        Openssl.AssertVerified(await Openssl.VerifyDataAsync(dataFile, responseFile, CaFile(), "-untrusted", tsaCert));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30 })]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x04, 0x02, 0x41, 0x42 })]
    public void Respond_Garbage_RejectionWithBadDataFormat(byte[] garbage)
    {
        var response = new TimeStampResponse(_tsa.Respond(garbage));

        Assert.Equal((int)PkiStatus.Rejection, response.Status);
        Assert.Null(response.TimeStampToken);
        Assert.Equal(PkiFailureInfo.BadDataFormat, response.GetFailInfo().IntValue);
    }

    [Fact]
    public void Respond_Sha1Imprint_RejectionWithBadAlg()
    {
        var response = new TimeStampResponse(_tsa.Respond(Request(TspAlgorithms.Sha1, DigestUtilities.CalculateDigest("SHA-1", "old"u8.ToArray()) /* the weak algorithm is the point */)));

        Assert.Equal((int)PkiStatus.Rejection, response.Status);
        Assert.Null(response.TimeStampToken);
        Assert.Equal(PkiFailureInfo.BadAlg, response.GetFailInfo().IntValue);
    }

    [Fact]
    public void Respond_UnknownPolicy_Rejection()
    {
        var response = new TimeStampResponse(_tsa.Respond(Request(TspAlgorithms.Sha256, SHA256.HashData("p"u8), policy: "1.2.3.4.5")));

        Assert.Equal((int)PkiStatus.Rejection, response.Status);
        Assert.Null(response.TimeStampToken);
        Assert.Equal(PkiFailureInfo.UnacceptedPolicy, response.GetFailInfo().IntValue);
    }

    [Fact]
    public void Respond_UnknownPolicy_TokenNeverClaimsAPolicyOtherThanTheTsas()
    {
        // The half of the bug above that matters most to a relying party: whatever the answer, a granted token must
        // carry the TSA's own policy, never one the client made up.
        var response = new TimeStampResponse(_tsa.Respond(Request(TspAlgorithms.Sha256, SHA256.HashData("p"u8), policy: "1.2.3.4.5")));

        Assert.True(response.TimeStampToken is null || response.TimeStampToken.TimeStampInfo.Policy == TimeStampAuthority.PolicyOid,
            $"granted with policy {response.TimeStampToken?.TimeStampInfo.Policy}");
    }

    [Fact]
    public void Respond_RequestWithAnExtension_RejectedNeverSigned()
    {
        // A public TSA must not sign statements a client chose: an extension in the request would be copied into the TSTInfo.
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        generator.AddExtension(new Org.BouncyCastle.Asn1.DerObjectIdentifier("1.2.3.4.5"), true, new Org.BouncyCastle.Asn1.DerUtf8String("I owe you 1,000,000"));
        var request = generator.Generate(TspAlgorithms.Sha256, SHA256.HashData("x"u8)).GetEncoded();

        var response = new TimeStampResponse(_tsa.Respond(request));

        Assert.Equal((int)PkiStatus.Rejection, response.Status);
        Assert.Null(response.TimeStampToken);
        Assert.Equal(PkiFailureInfo.UnacceptedExtension, response.GetFailInfo().IntValue);
    }

    [Fact]
    public void Respond_OwnPolicyRequested_Granted()
    {
        var token = Token(_tsa.Respond(Request(TspAlgorithms.Sha256, SHA256.HashData("p"u8), policy: TimeStampAuthority.PolicyOid)));

        Assert.Equal(TimeStampAuthority.PolicyOid, token.TimeStampInfo.Policy);
    }

    [Theory]
    [InlineData("SHA-384")]
    [InlineData("SHA-512")]
    [InlineData("SM3")]
    public void Respond_StrongerOrNationalImprint_GrantedWithThatImprint(string name)
    {
        var (oid, digest) = name switch
        {
            "SHA-384" => (TspAlgorithms.Sha384, SHA384.HashData("m"u8)),
            "SHA-512" => (TspAlgorithms.Sha512, SHA512.HashData("m"u8)),
            _ => (TspAlgorithms.SM3, DigestUtilities.CalculateDigest("SM3", "m"u8.ToArray())),
        };

        var token = Token(_tsa.Respond(Request(oid, digest)));

        Assert.Equal(oid, token.TimeStampInfo.MessageImprintAlgOid);
        Assert.Equal(digest, token.TimeStampInfo.GetMessageImprintDigest());
        token.Validate(DotNetUtilities.FromX509Certificate(_credentials.Certificate));
    }

    [Fact]
    public async Task TimestampAsync_NameIsBuiltIn()
    {
        Assert.Equal("built-in TSA", _tsa.Name);
        Assert.NotEmpty(await _tsa.TimestampAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None));
    }
}
