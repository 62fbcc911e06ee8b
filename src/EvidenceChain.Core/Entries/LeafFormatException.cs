namespace EvidenceChain.Core.Entries;

/// <summary>Leaf bytes that are not a well-formed, canonical version-1 leaf.</summary>
public sealed class LeafFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public LeafFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LeafFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LeafFormatException()
    {
    }
}
