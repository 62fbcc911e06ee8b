namespace EvidenceChain.Capture.Internal;

/// <summary>The response reached Capture:MaxResponseBytes; what was read up to the limit is kept.</summary>
internal sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException()
        : base("The response reached the size limit.")
    {
    }

    public ResponseTooLargeException(string message)
        : base(message)
    {
    }

    public ResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
