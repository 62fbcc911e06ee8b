namespace EvidenceChain.Verifier.Internal;

/// <summary>
/// A file name as one argument of a command that runs the same in cmd, PowerShell and a POSIX shell (the commands of
/// VERIFY.txt): as it is when it holds only letters, digits and <c>. _ - + /</c>; in double quotes when it also holds
/// characters those three shells all take literally inside double quotes; otherwise (or when it starts with <c>-</c>, so
/// would read as an option) no word at all.
/// </summary>
internal static class CommandWord
{
    /// <summary>Characters that at least one of the shells expands or ends a quoted word at, even in double quotes.</summary>
    private const string NeverQuotable = "\"$`\\%!";

    /// <summary>The argument for <paramref name="name"/>, or false when no spelling works in all three shells.</summary>
    public static bool TryWrite(string name, out string word)
    {
        word = "";
        if (name.Length == 0 || name[0] == '-' || name.Any(c => char.IsControl(c) || NeverQuotable.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        word = name.All(IsPlain) ? name : "\"" + name + "\"";
        return true;
    }

    private static bool IsPlain(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-' or '+' or '/';
}
