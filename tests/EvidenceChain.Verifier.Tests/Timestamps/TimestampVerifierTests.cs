using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvidenceChain.Testing.Timestamps;
using EvidenceChain.Verifier.Timestamps;
using Org.BouncyCastle.Cms;

namespace EvidenceChain.Verifier.Tests.Timestamps;

/// <summary>Tokens from openssl's TSA (and hand-made ones openssl refuses to issue) against pinned CAs.</summary>
public sealed class TimestampVerifierTests : IClassFixture<TimestampVerifierTests.Tsas>
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("receipt.test/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");

    private readonly Tsas _tsas;

    public TimestampVerifierTests(Tsas tsas) => _tsas = tsas;

    /// <summary>One openssl TSA per kind, made once for the class.</summary>
    public sealed class Tsas : IDisposable
    {
        public OpenSslTsa Ec { get; } = new();

        public OpenSslTsa Rsa { get; } = new(keyType: "rsa", name: "RSA TSA");

        public OpenSslTsa Expired { get; } = new(startDate: "20200101000000Z", endDate: "20210101000000Z", name: "Expired TSA");

        public OpenSslTsa SelfSigned { get; } = new(selfSigned: true, name: "Self-signed TSA");

        public void Dispose()
        {
            Ec.Dispose();
            Rsa.Dispose();
            Expired.Dispose();
            SelfSigned.Dispose();
        }
    }

    private static IReadOnlyList<TsaCertificate> Pin(OpenSslTsa tsa) => TimestampVerifier.ReadPem(tsa.CaPem);

    private static IReadOnlyList<TsaCertificate> Pin(X509Certificate2 ca) => [TsaCertificate.FromDer(ca.RawData)];

    [Theory]
    [InlineData("sha256", "SHA256")]
    [InlineData("sha384", "SHA384")]
    [InlineData("sha512", "SHA512")]
    public void VerifyResponse_OpenSslEcdsaToken_Passes(string digest, string name)
    {
        var response = _tsas.Ec.Timestamp(Data, digest);

        var result = TimestampVerifier.VerifyResponse(response, Data, Pin(_tsas.Ec));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(name, result.Info!.HashAlgorithm);
        Assert.Equal(OpenSslTsa.Policy, result.Info.Policy);
        Assert.Equal(1_000_000, result.Info.AccuracyMicroseconds);
        Assert.InRange(result.Info.GenTime, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains("genTime ", result.Message, StringComparison.Ordinal);
        Assert.Contains("CN=Test TSA", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyResponse_OpenSslRsaToken_Passes()
    {
        var result = TimestampVerifier.VerifyResponse(_tsas.Rsa.Timestamp(Data), Data, Pin(_tsas.Rsa));

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void VerifyResponse_TokenWithoutCertificate_NeedsTheChainAsUntrusted()
    {
        var response = _tsas.Ec.Timestamp(Data, certReq: false);

        var without = TimestampVerifier.VerifyResponse(response, Data, Pin(_tsas.Ec));
        var with = TimestampVerifier.VerifyResponse(response, Data, Pin(_tsas.Ec), TimestampVerifier.ReadPem(_tsas.Ec.ChainPem));

        Assert.Equal(TimestampFailure.SignerCertificateNotFound, without.Failure);
        Assert.True(with.IsValid, with.Message);
    }

    [Fact]
    public void VerifyResponse_OtherData_FailsAtTheImprint()
    {
        var other = (byte[])Data.Clone();
        other[^2] ^= 1;

        var result = TimestampVerifier.VerifyResponse(_tsas.Ec.Timestamp(Data), other, Pin(_tsas.Ec));

        Assert.Equal(TimestampFailure.ImprintMismatch, result.Failure);
    }

    [Fact]
    public void VerifyResponse_WrongCaPinned_FailsTheChain()
    {
        var result = TimestampVerifier.VerifyResponse(_tsas.Ec.Timestamp(Data), Data, Pin(_tsas.Rsa));

        Assert.Equal(TimestampFailure.UntrustedChain, result.Failure);
        Assert.NotNull(result.Info);
    }

    [Fact]
    public void VerifyResponse_NoCaPinned_FailsTheChain()
    {
        var result = TimestampVerifier.VerifyResponse(_tsas.Ec.Timestamp(Data), Data, []);

        Assert.Equal(TimestampFailure.UntrustedChain, result.Failure);
        Assert.Contains("no TSA CA is pinned", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyResponse_UntrustedChainHoldsTheCa_StillNeedsThePin()
    {
        // The receipt's own chain (TSA + CA) must not make its CA trusted.
        var response = _tsas.Ec.Timestamp(Data);

        var result = TimestampVerifier.VerifyResponse(response, Data, Pin(_tsas.Rsa), TimestampVerifier.ReadPem(_tsas.Ec.ChainPem));

        Assert.Equal(TimestampFailure.UntrustedChain, result.Failure);
    }

    [Fact]
    public void VerifyResponse_SelfSignedTsaNotUnderThePinnedCa_FailsTheChain()
    {
        var response = _tsas.SelfSigned.Timestamp(Data);

        var result = TimestampVerifier.VerifyResponse(response, Data, Pin(_tsas.Ec), TimestampVerifier.ReadPem(_tsas.SelfSigned.ChainPem));

        Assert.Equal(TimestampFailure.UntrustedChain, result.Failure);
    }

    [Fact]
    public void VerifyResponse_CertificateExpiredBeforeGenTime_Fails()
    {
        var result = TimestampVerifier.VerifyResponse(_tsas.Expired.Timestamp(Data), Data, Pin(_tsas.Expired));

        Assert.Equal(TimestampFailure.CertificateNotValidAtTime, result.Failure);
        Assert.Contains("2021-01-01T00:00:00Z", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "not marked critical")]
    [InlineData(null, "has no extended key usage")]
    public void VerifyResponse_TsaWithoutCriticalTimestampingUsage_Fails(bool? critical, string reason)
    {
        var (ca, tsa) = HandMadeTsa.Certificates(critical);

        var result = TimestampVerifier.VerifyResponse(HandMadeTsa.Response(tsa, Data), Data, Pin(ca));

        Assert.Equal(TimestampFailure.NotATimestampingCertificate, result.Failure);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyResponse_TsaWithOtherUsage_Fails()
    {
        var (ca, tsa) = HandMadeTsa.Certificates(true, eku: "1.3.6.1.5.5.7.3.3");

        var result = TimestampVerifier.VerifyResponse(HandMadeTsa.Response(tsa, Data), Data, Pin(ca));

        Assert.Equal(TimestampFailure.NotATimestampingCertificate, result.Failure);
    }

    [Fact]
    public void VerifyResponse_HandMadeTokenWithCriticalUsage_Passes()
    {
        // The control for the two tests above: the hand-made TSA itself is accepted when its profile is right.
        var (ca, tsa) = HandMadeTsa.Certificates(true);

        var result = TimestampVerifier.VerifyResponse(HandMadeTsa.Response(tsa, Data), Data, Pin(ca));

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void VerifyResponse_ChainThroughAnUntrustedIntermediate_Passes()
    {
        var (root, intermediate, tsa) = HandMadeTsa.Chain(intermediateIsCa: true);
        var response = HandMadeTsa.Response(tsa, Data);

        var with = TimestampVerifier.VerifyResponse(response, Data, Pin(root), Pin(intermediate));
        var without = TimestampVerifier.VerifyResponse(response, Data, Pin(root));

        Assert.True(with.IsValid, with.Message);
        Assert.Equal(TimestampFailure.UntrustedChain, without.Failure);
    }

    [Fact]
    public void VerifyResponse_IntermediateThatIsNotACa_FailsTheChain()
    {
        var (root, intermediate, tsa) = HandMadeTsa.Chain(intermediateIsCa: false);

        var result = TimestampVerifier.VerifyResponse(HandMadeTsa.Response(tsa, Data), Data, Pin(root), Pin(intermediate));

        Assert.Equal(TimestampFailure.UntrustedChain, result.Failure);
        Assert.Contains("is not a CA", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPem_OpenSslChain_ReadsAsDotNetDoes()
    {
        var read = TimestampVerifier.ReadPem(_tsas.Ec.ChainPem);
        var dotnet = new X509Certificate2Collection();
        dotnet.ImportFromPem(_tsas.Ec.ChainPem);

        Assert.Equal(dotnet.Count, read.Count);
        for (var i = 0; i < read.Count; i++)
        {
            Assert.Equal(dotnet[i].Subject, read[i].Subject);
            Assert.Equal(dotnet[i].Issuer, read[i].Issuer);
            Assert.Equal(dotnet[i].SerialNumber, read[i].SerialNumber);
            Assert.Equal(dotnet[i].NotBefore.ToUniversalTime(), read[i].NotBefore.UtcDateTime);
            Assert.Equal(dotnet[i].NotAfter.ToUniversalTime(), read[i].NotAfter.UtcDateTime);
            Assert.Equal(dotnet[i].GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant(), read[i].Sha256Fingerprint.ToString());
            Assert.Equal(read[i], TsaCertificate.ReadPem(read[i].ToPem()).Single());
        }
    }

    [Fact]
    public void FromDer_NotDer_Refused()
    {
        var der = TimestampVerifier.ReadPem(_tsas.Ec.CaPem)[0].RawData.ToArray();
        var trailing = der.Append((byte)0).ToArray();

        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => TsaCertificate.FromDer(trailing));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => TsaCertificate.FromDer(der.AsSpan(0, der.Length - 1)));
    }

    [Fact]
    public void VerifyResponseSignature_NoCaPinned_ChecksAllButTheChain()
    {
        var good = TimestampVerifier.VerifyResponseSignature(_tsas.Ec.Timestamp(Data), Data);
        var (_, tsa) = HandMadeTsa.Certificates(false);
        var noncritical = TimestampVerifier.VerifyResponseSignature(HandMadeTsa.Response(tsa, Data), Data);

        Assert.True(good.IsValid, good.Message);
        Assert.Equal(TimestampFailure.NotATimestampingCertificate, noncritical.Failure);
    }

    [Fact]
    public void TryReadResponse_GrantedToken_GivesGenTimeAndSigner()
    {
        Assert.True(TimestampVerifier.TryReadResponse(_tsas.Ec.Timestamp(Data), out var info, out var error), error);
        Assert.InRange(info.GenTime, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains("CN=Test TSA", info.Signer!.Subject, StringComparison.Ordinal);
        Assert.False(TimestampVerifier.TryReadResponse([0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02], out _, out error));
        Assert.Contains("status 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyResponse_AnyChangedByte_NeverPasses()
    {
        var response = _tsas.Ec.Timestamp(Data);
        var pinned = Pin(_tsas.Ec);
        var failures = new HashSet<TimestampFailure>();

        // Every byte of what the token asserts (the TSTInfo), of the signer's certificate, of the signed attributes
        // and of the signature. The envelope around them (status, versions, algorithm lists) no signature covers.
        var cms = new CmsSignedData(response.AsSpan(9).ToArray());
        var signer = cms.GetSignerInfos().GetSigners()[0];
        byte[][] parts = [SignedContent(cms), cms.GetCertificates().EnumerateMatches(null).Single().GetEncoded(), signer.GetSignature()];
        var positions = parts.SelectMany(part =>
        {
            var at = response.AsSpan().IndexOf(part);
            Assert.True(at > 0);
            return Enumerable.Range(at, part.Length);
        });
        foreach (var i in positions)
        {
            var changed = (byte[])response.Clone();
            changed[i] ^= 0x01;

            var result = TimestampVerifier.VerifyResponse(changed, Data, pinned);

            Assert.False(result.IsValid, $"byte {i} of {response.Length}: {result.Message}");
            failures.Add(result.Failure);
        }

        Assert.Contains(TimestampFailure.Malformed, failures);
        Assert.Contains(TimestampFailure.BadSignature, failures);
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public void VerifyResponse_RandomlyMangled_NeverThrows(string kind)
    {
        // Anywhere in the response, envelope included: the verifier answers with a failure, never an exception.
        var tsa = kind == "ec" ? _tsas.Ec : _tsas.Rsa;
        var response = tsa.Timestamp(Data);
        var pinned = Pin(tsa);
        var random = new Random(20261207);
        for (var i = 0; i < 1500; i++)
        {
            var changed = (byte[])response.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                changed[random.Next(changed.Length)] ^= (byte)random.Next(1, 256);
            }

            var cut = random.Next(8) == 0 ? changed[..random.Next(changed.Length)] : changed;

            var result = TimestampVerifier.VerifyResponse(cut, Data, pinned);
            TimestampVerifier.TryReadResponse(cut, out _, out _);

            Assert.True(result.IsValid || result.Message.Length > 0, $"round {i}");
        }
    }

    [Fact]
    public void VerifyResponse_Rejection_IsNotGranted()
    {
        byte[] rejection = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02];

        var result = TimestampVerifier.VerifyResponse(rejection, Data, Pin(_tsas.Ec));

        Assert.Equal(TimestampFailure.NotGranted, result.Failure);
        Assert.Contains("status 2", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyToken_BareTokenFromTheResponse_Passes()
    {
        var response = _tsas.Ec.Timestamp(Data);
        var token = _tsas.Ec.Run("ts", "-reply", "-in", Save(_tsas.Ec, response), "-token_out", "-out", "token.der");

        var result = TimestampVerifier.VerifyToken(File.ReadAllBytes(_tsas.Ec.Path("token.der")), Data, Pin(_tsas.Ec));

        Assert.True(result.IsValid, result.Message + token);
    }

    /// <summary>The TSTInfo's DER bytes inside a token.</summary>
    internal static byte[] SignedContent(CmsSignedData cms) =>
        ((Org.BouncyCastle.Asn1.Asn1OctetString)Org.BouncyCastle.Asn1.Cms.SignedData.GetInstance(cms.ContentInfo.Content).EncapContentInfo.Content).GetOctets();

    private static string Save(OpenSslTsa tsa, byte[] bytes)
    {
        File.WriteAllBytes(tsa.Path("saved.tsr"), bytes);
        return "saved.tsr";
    }
}
