namespace EvidenceChain.Capture.Warc;

/// <summary>A WARC file is malformed; the message says where and how.</summary>
internal sealed class WarcFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WarcFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public WarcFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WarcFormatException()
    {
    }
}
