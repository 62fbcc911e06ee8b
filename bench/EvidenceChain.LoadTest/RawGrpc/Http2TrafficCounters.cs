using System.Globalization;
using System.Text;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>
/// What connections received, for the report: frames by type, and the ones a well-behaved server need not send.
/// Each connection's reader loop owns one; <see cref="Add"/> sums them after the loops stop. Not thread-safe.
/// </summary>
internal sealed class Http2TrafficCounters
{
    private const int KnownTypes = (int)Http2FrameType.Continuation + 1;

    // Known frame types by value, then every extension type in the last slot.
    private readonly long[] _frames = new long[KnownTypes + 1];
    private readonly List<string> _goAways = [];

    /// <summary>DATA, HEADERS or RST_STREAM for a stream that had already ended here (or was never opened).</summary>
    public long FramesForClosedStreams { get; set; }

    /// <summary>Huffman-coded strings in the node's header blocks.</summary>
    public long HuffmanStrings { get; set; }

    /// <summary>Each GOAWAY received: last stream id, error code and debug text.</summary>
    public IReadOnlyList<string> GoAways => _goAways;

    public void CountFrame(Http2FrameType type) => _frames[Math.Min((int)type, KnownTypes)]++;

    public void AddGoAway(string description) => _goAways.Add(description);

    public void Add(Http2TrafficCounters other)
    {
        for (var i = 0; i < _frames.Length; i++)
        {
            _frames[i] += other._frames[i];
        }

        FramesForClosedStreams += other.FramesForClosedStreams;
        HuffmanStrings += other.HuffmanStrings;
        _goAways.AddRange(other._goAways);
    }

    public override string ToString()
    {
        var text = new StringBuilder("frames received:");
        for (var i = 0; i < _frames.Length; i++)
        {
            if (_frames[i] > 0)
            {
                var name = i < KnownTypes ? ((Http2FrameType)i).ToString() : "extension";
                text.Append(CultureInfo.InvariantCulture, $" {name} {_frames[i]},");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $" for ended streams {FramesForClosedStreams}; Huffman strings {HuffmanStrings}; GOAWAY ");
        text.Append(_goAways.Count == 0 ? "none" : string.Join(" | ", _goAways));
        return text.ToString();
    }
}
