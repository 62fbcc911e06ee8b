namespace EvidenceChain.Web.Verification;

/// <summary>What a dropped or picked file is for: decided from its name when it is added, changeable by the user.</summary>
internal enum FileRole
{
    /// <summary>A receipt, <c>.evidence.zip</c>.</summary>
    Receipt,

    /// <summary>A case export zip (<c>verify-case</c>).</summary>
    CaseExport,

    /// <summary>An original file, checked against the receipt's entry (as <c>verify --artefact</c>).</summary>
    Original,
}

/// <summary>A file the user dropped or picked: it stays in the browser (the JavaScript side keeps the File object).</summary>
/// <param name="Id">The JavaScript side's handle.</param>
/// <param name="Name">The file's name, as the browser gives it (no folder).</param>
/// <param name="Size">Its length in bytes.</param>
internal sealed record DroppedFile(int Id, string Name, long Size)
{
    /// <summary>What the file is for.</summary>
    public FileRole Role { get; set; } = Guess(Name);

    /// <summary>A receipt ends in .evidence.zip, any other zip is taken for a case export, anything else is an original.</summary>
    public static FileRole Guess(string name) =>
        name.EndsWith(".evidence.zip", StringComparison.OrdinalIgnoreCase) ? FileRole.Receipt
        : name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? FileRole.CaseExport
        : FileRole.Original;
}
