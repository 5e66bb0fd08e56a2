namespace RecordsRequests.Features.Archive;

/// <summary>Settings of the archive search index, bound from the <c>Archive</c> section.</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>
    /// Index every two neighbouring words as well, so phrases answer many times faster in a large archive (measured at
    /// 1,000,000 generated messages: a phrase of common words that is nowhere, p95 36 ms without pairs, 1.4 ms with), at
    /// the cost of indexing time (measured on the Enron mail: a third more CPU per message) and about 15 % more index.
    /// Off by default: most searches are words, and a district's first import is the long wait. Changing it makes the
    /// index outdated; ops/run rebuilds it when it starts (ops/records reindex).
    /// </summary>
    public bool WordPairs { get; set; }
}
