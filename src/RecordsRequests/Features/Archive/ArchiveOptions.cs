namespace RecordsRequests.Features.Archive;

/// <summary>Settings of the archive search index, bound from the <c>Archive</c> section.</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>
    /// Index the neighbouring words of frequent words as pairs (<see cref="FrequentWords"/>), so a phrase of frequent
    /// words answers many times faster in a large archive (measured at 1,000,000 generated messages: a phrase of common
    /// words that is nowhere, p95 36 ms without pairs, 1.4 ms with), at a cost in indexing time and index size
    /// (measured on 50,000 Enron messages: 14 % more import CPU than no pairs, against 32 % with every pair). Off by
    /// default: at 1,000,000 generated messages the searches of one common word and of several words took twice the
    /// CPU with pairs in the index (measured twice, on a loaded machine), and a district's first import is the long wait.
    /// Changing it makes the index outdated; ops/run rebuilds it when it starts (ops/records reindex).
    /// </summary>
    public bool WordPairs { get; set; }

    /// <summary>How many items the index holds before it chooses its frequent words from them; until then every pair is
    /// kept. Enough items that a word's share of them is its share of the archive's.</summary>
    public int FrequentWordsAfter { get; set; } = 5_000;
}
