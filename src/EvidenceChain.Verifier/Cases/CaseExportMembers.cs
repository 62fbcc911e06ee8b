using System.Globalization;

namespace EvidenceChain.Verifier.Cases;

/// <summary>The member names of a case export zip (docs/formats.md, "Case export").</summary>
public static class CaseExportMembers
{
    /// <summary>The case manifest, a C2SP signed note by the log's key.</summary>
    public const string Manifest = "manifest.note";

    /// <summary>The folder of the attached items' receipts, <c>receipts/entry-INDEX.evidence.zip</c>.</summary>
    public const string ReceiptFolder = "receipts/";

    /// <summary>The folder of the case events' receipts (the export event's too), <c>events/entry-INDEX.evidence.zip</c>.</summary>
    public const string EventFolder = "events/";

    /// <summary>A copy of the log's verifier key (convenience only; verifiers pin their own).</summary>
    public const string LogKey = "trust/log.vkey";

    /// <summary>A copy of the TSA certificate and its CA certificate(s), PEM (convenience only).</summary>
    public const string TsaChain = "trust/tsa-chain.pem";

    /// <summary>The exact commands to verify the export.</summary>
    public const string Instructions = "VERIFY.txt";

    /// <summary>The member name of entry <paramref name="index"/>'s receipt in <paramref name="folder"/>.</summary>
    public static string ReceiptName(string folder, ulong index) => string.Create(CultureInfo.InvariantCulture, $"{folder}entry-{index}.evidence.zip");

    /// <summary>The entry index a receipt member name in <paramref name="folder"/> names, if it is one.</summary>
    public static bool TryParseReceiptName(string name, string folder, out ulong index)
    {
        ArgumentNullException.ThrowIfNull(name);
        index = 0;
        const string Prefix = "entry-", Suffix = ".evidence.zip";
        if (!name.StartsWith(folder + Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = name[(folder.Length + Prefix.Length)..^Suffix.Length];
        return digits.Length is > 0 and <= 20 && digits.All(char.IsAsciiDigit) && (digits == "0" || digits[0] != '0')
            && ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
