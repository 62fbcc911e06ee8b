namespace EvidenceChain.Verifier.Timestamps;

/// <summary>Why an RFC 3161 timestamp did not verify.</summary>
public enum TimestampFailure
{
    /// <summary>It verified.</summary>
    None = 0,

    /// <summary>The bytes are not a DER TimeStampResp or timestamp token.</summary>
    Malformed,

    /// <summary>The response's status is not granted (or granted with modifications), or it holds no token.</summary>
    NotGranted,

    /// <summary>The message imprint uses a hash other than SHA-256, SHA-384 or SHA-512.</summary>
    UnsupportedHashAlgorithm,

    /// <summary>The message imprint is not the hash of the data: the token is over something else.</summary>
    ImprintMismatch,

    /// <summary>The signer's certificate is neither in the token nor among the untrusted certificates given.</summary>
    SignerCertificateNotFound,

    /// <summary>The ESS signing-certificate(-v2) attribute is missing or does not identify the signer's certificate.</summary>
    SigningCertificateMismatch,

    /// <summary>The CMS signature over the token does not verify.</summary>
    BadSignature,

    /// <summary>The signer's certificate lacks a critical extended key usage of only id-kp-timeStamping.</summary>
    NotATimestampingCertificate,

    /// <summary>The signer's certificate was not valid at the token's genTime.</summary>
    CertificateNotValidAtTime,

    /// <summary>The signer's certificate does not chain to a pinned CA at genTime.</summary>
    UntrustedChain,
}
