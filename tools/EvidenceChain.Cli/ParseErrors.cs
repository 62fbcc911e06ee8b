using System.CommandLine;
using System.CommandLine.Parsing;

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
        if (UnknownOptionTakenAsArgument(parsed) is { } taken)
        {
            return $"unknown option {Shorten(taken)}; {help}";
        }

        if (parsed.UnmatchedTokens is [var token, ..])
        {
            // An unknown option explains the words after it, which it would have taken as its value.
            if (!AfterDoubleDash(parsed) && parsed.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-') && t.Length > 1) is { } unknown)
            {
                return $"unknown option {Shorten(unknown)}; {help}";
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

        if (parsed.Errors is [{ SymbolResult: OptionResult option }, ..] && !option.Implicit)
        {
            var name = option.IdentifierToken?.Value ?? option.Option.Name;
            if (option.Tokens.Count == 0 && option.Option.Arity.MinimumNumberOfValues > 0)
            {
                return $"{name} needs a value; {help}";
            }

            if (option.Tokens.Count > option.Option.Arity.MaximumNumberOfValues)
            {
                return $"{name} is given {option.Tokens.Count} times; give it once; {help}";
            }
        }

        var message = parsed.Errors.Count > 0 ? parsed.Errors[0].Message.TrimEnd('.') : "cannot parse the command line";
        return $"{message}; {help}";
    }

    /// <summary>
    /// A word like <c>--origin</c> that System.CommandLine gave to one of the command's arguments because no option has
    /// that name; an argument that starts with <c>--</c> must come after <c>--</c>. Null when there is none.
    /// </summary>
    public static string? UnknownOptionTakenAsArgument(ParseResult parsed) =>
        AfterDoubleDash(parsed)
            ? null
            : parsed.CommandResult.Command.Arguments
                .SelectMany(a => parsed.GetResult(a)?.Tokens ?? [])
                .Select(t => t.Value)
                .FirstOrDefault(v => v.StartsWith("--", StringComparison.Ordinal) && v.Length > 2);

    /// <summary>True when the command line holds <c>--</c>, after which every word is an argument.</summary>
    private static bool AfterDoubleDash(ParseResult parsed) => parsed.Tokens.Any(t => t.Type == TokenType.DoubleDash);

    /// <summary>The words that named the command, without the root: "case attach".</summary>
    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..77] + "..." : text;
}
