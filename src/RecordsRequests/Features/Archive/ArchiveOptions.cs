namespace RecordsRequests.Features.Archive;

/// <summary>Settings of the archive search index, bound from the <c>Archive</c> section.</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>
    /// Index the neighbouring words of frequent words as pairs (<see cref="FrequentWords"/>), so a phrase of frequent
    /// words answers many times faster in a large archive (measured at 1,000,000 generated messages: a phrase of common
    /// words that is nowhere, p95 2.9 ms with pairs; 18.4 ms without, its words checked rarest first), at a cost in
    /// indexing time and index size (measured on 50,000 Enron messages: 2,118 and 2,191 messages a second against 2,493
    /// and 2,511 without, the indexing's CPU 28.1–29.1 s against 21.5). Off by default, for the import's sake: a
    /// district's first import is the long wait, and without pairs that phrase of common words takes 35 ms of CPU,
    /// which a search shares between both cores. Pairs cost other
    /// searches little: one common word took 15 % more CPU with them (more segments in the index), not twice as much as
    /// a benchmark warmed up too briefly had shown.
    /// Changing it makes the index outdated; ops/run rebuilds it when it starts (ops/records reindex).
    /// </summary>
    public bool WordPairs { get; set; }

    /// <summary>How many items the index holds before it chooses its frequent words from them; until then every pair is
    /// kept. Enough items that a word's share of them is its share of the archive's.</summary>
    public int FrequentWordsAfter { get; set; } = 5_000;
}
