namespace EvidenceChain.Verifier.Internal;

/// <summary>
/// <see cref="UntrustedZip"/> refused a zip: not a zip, a member unsafely named, unexpected, duplicated or over a
/// limit. The message names the zip ("The receipt ...", "The export ...") and says which rule it broke.
/// </summary>
internal sealed class ZipLayoutException : FormatException
{
    public ZipLayoutException(string message)
        : base(message)
    {
    }

    public ZipLayoutException()
    {
    }

    public ZipLayoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
