using System.Diagnostics;
using System.Globalization;

namespace EvidenceChain.Verifier.Internal;

/// <summary>
/// The total work one verification may do on untrusted input: bytes inflated from zips (which every artefact hash
/// reads through) and time since it started. Shared by a case export and every receipt nested in it, so that no number
/// of members or receipts can multiply the work past it.
/// </summary>
/// <remarks>
/// Not thread-safe: one verification reads one member at a time. The time is measured with a monotonic
/// <see cref="Stopwatch"/> and checked at every chunk read and between receipts (<see cref="ThrowIfSpent"/>), so a
/// verification stops within one chunk or one receipt of the limit.
/// </remarks>
internal sealed class WorkBudget
{
    private readonly long _maxBytes;
    private readonly TimeSpan _maxDuration;
    private readonly long _started = Stopwatch.GetTimestamp();

    public WorkBudget(long maxBytes, TimeSpan maxDuration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDuration, TimeSpan.Zero);
        _maxBytes = maxBytes;
        _maxDuration = maxDuration;
    }

    /// <summary>No limit: for evidence the caller supplies itself.</summary>
    public static WorkBudget Unlimited => new(long.MaxValue, TimeSpan.MaxValue);

    /// <summary>The bytes charged so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Why the budget ran out, once it has; null before.</summary>
    public string? Exhausted { get; private set; }

    /// <summary>Charges <paramref name="bytes"/> read, then checks both limits.</summary>
    /// <exception cref="WorkLimitException">A limit is reached.</exception>
    public void Charge(int bytes)
    {
        Bytes += bytes;
        if (Bytes > _maxBytes)
        {
            Exhaust(string.Create(CultureInfo.InvariantCulture, $"stopped: more than {_maxBytes} bytes inflated and hashed in all, the limit for one verification"));
        }

        ThrowIfSpent();
    }

    /// <summary>Throws once the budget has run out or the time limit has passed.</summary>
    /// <exception cref="WorkLimitException">A limit is reached.</exception>
    public void ThrowIfSpent()
    {
        if (Exhausted is not null)
        {
            throw new WorkLimitException(Exhausted);
        }

        if (_maxDuration != TimeSpan.MaxValue && Stopwatch.GetElapsedTime(_started) >= _maxDuration)
        {
            Exhaust(string.Create(CultureInfo.InvariantCulture, $"stopped: the time limit of {_maxDuration.TotalSeconds:0.###} s for one verification was reached"));
        }
    }

    private void Exhaust(string why)
    {
        Exhausted = why;
        throw new WorkLimitException(why);
    }
}
