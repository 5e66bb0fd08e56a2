namespace RecordsRequests.Features.Archive;

/// <summary>Settings of the archive search index, bound from the <c>Archive</c> section.</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>
    /// Index every two neighbouring words as well, so phrases of frequent words answer several times faster, at the
    /// cost of indexing time (measured on the Enron mail: about 0.6 ms of CPU more per message, nearly doubling an
    /// import's CPU) and a larger index. Off by default: most searches are words, and a district's first import is the
    /// long wait. Changing it makes the index outdated; ops/run rebuilds it when it starts (ops/records reindex).
    /// </summary>
    public bool WordPairs { get; set; }
}
