using System.Globalization;

namespace EvidenceChain.Cli.Client;

/// <summary>
/// A one-line progress bar on stderr, redrawn with a carriage return, for transfers of at least
/// <see cref="Threshold"/> bytes when stderr is a terminal (never in logs or pipes).
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class ProgressBar
{
    /// <summary>Smaller transfers finish too fast to need a bar.</summary>
    public const long Threshold = 8L << 20;

    private const int Width = 30;
    private readonly TextWriter _error;
    private readonly string _label;
    private readonly long _total;
    private int _shown = -1;

    private ProgressBar(TextWriter error, string label, long total)
    {
        _error = error;
        _label = label;
        _total = total;
    }

    /// <summary>A bar for <paramref name="total"/> bytes, or null when none should be drawn.</summary>
    public static ProgressBar? Start(CliConsole console, string label, long total) =>
        console.ErrorIsTerminal && total >= Threshold ? new ProgressBar(console.Error, Text.Printable(label), total) : null;

    /// <summary>Redraws the bar when the percentage changed.</summary>
    public void Report(long done)
    {
        var percent = (int)(Math.Clamp(done, 0, _total) * 100 / _total);
        if (percent == _shown)
        {
            return;
        }

        _shown = percent;
        var filled = percent * Width / 100;
        _error.Write(string.Create(
            CultureInfo.InvariantCulture,
            $"\r{_label} [{new string('#', filled)}{new string(' ', Width - filled)}] {percent,3}% of {_total / (1024.0 * 1024.0):0.0} MiB"));
    }

    /// <summary>Ends the bar's line.</summary>
    public void Finish() => _error.WriteLine();
}
