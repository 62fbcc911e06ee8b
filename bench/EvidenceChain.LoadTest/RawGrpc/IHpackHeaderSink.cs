namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>Receives the fields of a decoded header block; the spans are only valid during the call.</summary>
internal interface IHpackHeaderSink
{
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
