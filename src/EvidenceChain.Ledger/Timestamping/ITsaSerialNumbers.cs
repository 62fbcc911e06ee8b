namespace EvidenceChain.Ledger.Timestamping;

/// <summary>Serial numbers for time-stamp tokens: each is positive and never handed out twice, across restarts.</summary>
public interface ITsaSerialNumbers
{
    /// <summary>The next serial number.</summary>
    UInt128 Allocate();
}
