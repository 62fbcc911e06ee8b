using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;

namespace EvidenceChain.Ledger.Timestamping.Internal;

/// <summary>
/// Lets BouncyCastle's CMS builder sign with a .NET <see cref="ECDsa"/> key (OpenSSL underneath; the key stays a
/// platform key object): ecdsa-with-SHA256, the signature as a DER SEQUENCE (RFC 3279).
/// </summary>
internal sealed class EcdsaSignatureFactory(ECDsa key) : ISignatureFactory
{
    public object AlgorithmDetails { get; } = new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256);

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(key);

    private sealed class Calculator(ECDsa key) : IStreamCalculator<IBlockResult>
    {
        // The signed attributes: a few hundred bytes. The CMS builder closes the stream before asking for the result,
        // and ToArray still works on a closed MemoryStream (which holds no unmanaged resource).
        public Stream Stream { get; } = new MemoryStream();

        public IBlockResult GetResult() => new SimpleBlockResult(
            key.SignData(((MemoryStream)Stream).ToArray(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }
}
