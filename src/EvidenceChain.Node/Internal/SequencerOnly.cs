namespace EvidenceChain.Node.Internal;

/// <summary>
/// Starts work only the log's sequencer does (timestamping checkpoints, witness rounds) when this process sequences:
/// at once, or when a front-end of a shared log takes sequencing over; never after <see cref="Stop"/>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class SequencerOnly
{
    private readonly Lock _lock = new();
    private bool _stopped;

    public SequencerOnly(Task sequencing, Action start)
    {
        if (sequencing.IsCompleted)
        {
            start();
            return;
        }

        _ = sequencing.ContinueWith(
            _ =>
            {
                lock (_lock)
                {
                    if (!_stopped)
                    {
                        start();
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    /// <summary>After this, the work is never started.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
        }
    }
}
