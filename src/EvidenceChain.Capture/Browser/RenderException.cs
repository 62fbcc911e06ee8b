namespace EvidenceChain.Capture.Browser;

/// <summary>The browser could not render the page (did not start, crashed, or reported an error); the message says which.</summary>
internal sealed class RenderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RenderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RenderException()
    {
    }
}
