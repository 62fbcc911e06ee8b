using EvidenceChain.Core.Entries;

namespace EvidenceChain.Ledger.Internal;

internal sealed record PendingAppend(EntryDraft Draft, DateTimeOffset Time, TaskCompletionSource<AppendResult> Completion);
