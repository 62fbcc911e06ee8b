using System.Globalization;
using Org.BouncyCastle.Asn1.X509;

namespace EvidenceChain.Verifier.Timestamps.Internal;

/// <summary>
/// Finds a path from a TSA's signing certificate up to a pinned CA, valid at genTime (RFC 5280 §6, the parts that
/// matter offline): each certificate is signed by the next, whose subject is its issuer; every certificate is valid at
/// genTime; every issuer is a CA (basic constraints, key usage keyCertSign when present, path length); an extended key
/// usage, where a CA has one, allows time-stamping; no certificate has a critical extension this check does not
/// understand. Revocation is not checked (no network). Trust comes from the pinned CAs alone: certificates from the
/// token or given as untrusted only fill in the middle.
/// </summary>
internal static class CertificatePath
{
    private const int MaxDepth = 8;
    private const string AnyExtendedKeyUsage = "2.5.29.37.0";

    private static readonly HashSet<string> UnderstoodCritical =
    [
        X509Extensions.BasicConstraints.Id,
        X509Extensions.KeyUsage.Id,
        X509Extensions.ExtendedKeyUsage.Id,
        X509Extensions.SubjectAlternativeName.Id,
        X509Extensions.CertificatePolicies.Id,
        X509Extensions.SubjectKeyIdentifier.Id,
        X509Extensions.AuthorityKeyIdentifier.Id,
    ];

    public static bool Build(
        TsaCertificate signer, IReadOnlyList<TsaCertificate> pool, IReadOnlyList<TsaCertificate> anchors, DateTimeOffset genTime, out string error)
    {
        if (anchors.Count == 0)
        {
            error = "no TSA CA is pinned";
            return false;
        }

        if (!CriticalExtensionsUnderstood(signer, out error))
        {
            return false;
        }

        var problems = new List<string>();
        var current = signer;
        var visited = new HashSet<TsaCertificate> { signer };
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            // A pinned certificate itself ends the path (the signer may be pinned directly).
            if (anchors.Contains(current))
            {
                error = string.Empty;
                return true;
            }

            foreach (var anchor in anchors.Where(a => IssuedBy(current, a)))
            {
                if (IsUsableIssuer(anchor, depth, genTime, out var problem))
                {
                    error = string.Empty;
                    return true;
                }

                problems.Add(problem);
            }

            TsaCertificate? next = null;
            foreach (var candidate in pool.Where(c => !visited.Contains(c) && IssuedBy(current, c)))
            {
                if (IsUsableIssuer(candidate, depth, genTime, out var problem))
                {
                    next = candidate;
                    break;
                }

                problems.Add(problem);
            }

            if (next is null)
            {
                problems.Add($"\"{current.Subject}\" is not issued by a pinned CA, nor by a usable certificate that leads to one (issuer \"{current.Issuer}\")");
                error = string.Join("; ", problems.Distinct());
                return false;
            }

            visited.Add(next);
            current = next;
        }

        error = string.Create(CultureInfo.InvariantCulture, $"no pinned CA within {MaxDepth} certificates");
        return false;
    }

    /// <summary>True when <paramref name="issuer"/>'s subject is <paramref name="child"/>'s issuer and its key verifies the child's signature.</summary>
    private static bool IssuedBy(TsaCertificate child, TsaCertificate issuer)
    {
        if (!child.Parsed.IssuerDN.Equivalent(issuer.Parsed.SubjectDN))
        {
            return false;
        }

        try
        {
            child.Parsed.Verify(issuer.Parsed.GetPublicKey());
            return true;
        }
        catch (Exception e) when (Asn1Values.IsMalformedInput(e))
        {
            return false;
        }
    }

    /// <summary>An issuer at <paramref name="below"/> intermediate certificates above the signer.</summary>
    private static bool IsUsableIssuer(TsaCertificate issuer, int below, DateTimeOffset genTime, out string problem)
    {
        var name = issuer.Subject;
        if (genTime < issuer.NotBefore || genTime > issuer.NotAfter)
        {
            problem = $"\"{name}\" is valid from {issuer.NotBefore.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {issuer.NotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, not at genTime";
            return false;
        }

        var pathLength = issuer.Parsed.GetBasicConstraints(); // -1 when not a CA, int.MaxValue when unlimited
        if (pathLength < 0)
        {
            problem = $"\"{name}\" is not a CA (its basic constraints do not say cA)";
            return false;
        }

        if (below > pathLength)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"\"{name}\" allows {pathLength} intermediate certificates below it, not {below}");
            return false;
        }

        var usage = issuer.Parsed.GetKeyUsage();
        if (usage is not null && !usage[5])
        {
            problem = $"\"{name}\" may not sign certificates (its key usage lacks keyCertSign)";
            return false;
        }

        var extended = issuer.Parsed.GetExtendedKeyUsage();
        if (extended is not null && !extended.Any(o => o.Id is TimestampVerifier.TimeStampingOid or AnyExtendedKeyUsage))
        {
            problem = $"\"{name}\" has extended key usages that do not allow time-stamping";
            return false;
        }

        return CriticalExtensionsUnderstood(issuer, out problem);
    }

    private static bool CriticalExtensionsUnderstood(TsaCertificate certificate, out string problem)
    {
        var unknown = certificate.Parsed.GetCriticalExtensionOids()?.Where(oid => !UnderstoodCritical.Contains(oid)).ToList() ?? [];
        problem = unknown.Count == 0 ? string.Empty : $"\"{certificate.Subject}\" has a critical extension this verifier does not check ({string.Join(", ", unknown)})";
        return unknown.Count == 0;
    }
}
