using System.Globalization;
using EvidenceChain.Core.Entries;

namespace EvidenceChain.Storage.Tests;

internal static class Drafts
{
    public static EntryDraft File(int n, params Artefact[] artefacts) => new(
        "file",
        "tester",
        artefacts,
        new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });
}
