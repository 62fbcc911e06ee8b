namespace EvidenceChain.Verifier.Internal;

/// <summary>The part of an export's <c>VERIFY.txt</c> that case and watch exports share.</summary>
internal static class ExportInstructions
{
    /// <summary>
    /// Writes the trust-anchor paragraph and step 1's command, <c>evidencectl VERB FILE --log-key LOG.vkey --tsa-ca
    /// TSA-CA.pem</c>, naming the file the client saved the export as, or the node's suggested name.
    /// </summary>
    public static void TrustAndCommand(Action<string> line, string verb, string? fileName, string suggestedFileName)
    {
        line("TRUST ANCHORS. trust/ holds copies for convenience only. Obtain the log's verifier key (LOG.vkey) and the TSA's");
        line("CA certificate (TSA-CA.pem) from a source you trust, and compare them with the copies.");
        line(string.Empty);
        line("Every command below runs the same in cmd, PowerShell and a POSIX shell, in the folder named in each step.");
        line(string.Empty);
        var word = "";
        var named = fileName is { } given && CommandWord.TryWrite(given, out word);
        if (named)
        {
            line($"1. Everything at once, offline, in the folder where you saved this zip as {fileName}:");
        }
        else
        {
            line("1. Everything at once, offline, in the folder where you saved this zip (the node suggested the name");
            line($"   {suggestedFileName}; give the name you saved it under):");
        }

        line(string.Empty);
        line($"   evidencectl {verb} {(named ? word : suggestedFileName)} --log-key LOG.vkey --tsa-ca TSA-CA.pem");
    }
}
