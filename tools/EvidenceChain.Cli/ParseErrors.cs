using System.CommandLine;

namespace EvidenceChain.Cli;

/// <summary>Turns System.CommandLine's parse errors into the one line <c>evidencectl</c> prints for them.</summary>
internal static class ParseErrors
{
    /// <summary>
    /// One sentence naming the first problem (an unknown command or option, an extra argument, a missing value) and
    /// where help is: <c>unknown option --bogus; run evidencectl entry --help</c>.
    /// </summary>
    public static string Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed);
        var help = $"run evidencectl{(path.Length == 0 ? string.Empty : " " + path)} --help";
        if (parsed.UnmatchedTokens is [var token, ..])
        {
            if (token.StartsWith('-') && token.Length > 1)
            {
                return $"unknown option {Shorten(token)}; {help}";
            }

            return command.Subcommands.Count > 0 && command.Arguments.Count == 0
                ? $"unknown command \"{Shorten((path + " " + token).TrimStart())}\"; {help}"
                : $"unexpected argument \"{Shorten(token)}\"; {help}";
        }

        if (command.Action is null && command.Subcommands.Count > 0)
        {
            return $"{path} needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}; {help}";
        }

        var missing = command.Arguments.FirstOrDefault(a => (parsed.GetResult(a)?.Tokens.Count ?? 0) < a.Arity.MinimumNumberOfValues);
        if (missing is not null)
        {
            return $"{path} needs {missing.Name} ({missing.Description}); {help}";
        }

        var message = parsed.Errors.Count > 0 ? parsed.Errors[0].Message.TrimEnd('.') : "cannot parse the command line";
        return $"{message}; {help}";
    }

    /// <summary>The words that named the command, without the root: "case attach".</summary>
    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..77] + "..." : text;
}
