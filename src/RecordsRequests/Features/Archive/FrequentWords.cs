using Lucene.Net.Index;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The words of an index whose word pairs are kept (<see cref="ArchiveFields.Pairs"/>): those in at least one item in
/// <see cref="ItemsPerWord"/> when the index chose them, once, from its first items (<see cref="ArchiveIndex"/>).
/// <para>
/// A phrase is slow only when every one of its words is frequent: Lucene walks the items holding all of them, and
/// checks positions. A phrase with one rarer word is led by that word's short list and needs no pairs. So only the
/// pairs of two frequent words are indexed, which are a minority of an item's distinct pairs, and a phrase asks for
/// pairs only when all its words are frequent. Items indexed before the choice hold every pair, a superset, so a
/// phrase finds the same items in both; the choice is kept in the index and never changes, because items indexed
/// after it lack the pairs of other words.
/// </para>
/// </summary>
public sealed class FrequentWords
{
    /// <summary>A word is frequent when at least one item in this many holds it. Counted on the Enron mail (2,407
    /// messages): 1,053 words are in one item in 33 or more, 570 in one in 20, and the pairs of two such words are 45 % and
    /// 32 % of an item's distinct pairs. A phrase led by a word just under the line checks a 25th of the archive: at a
    /// million generated messages a phrase led by words in a tenth of them took 36 ms (mean, without pairs), so this
    /// one about 15 ms.</summary>
    public const int ItemsPerWord = 25;

    private readonly HashSet<string> _words;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private FrequentWords(HashSet<string> words)
    {
        _words = words;
        _lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _words.Count;

    public bool Contains(string word) => _words.Contains(word);

    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);

    /// <summary>The words of the catch-all field held by at least one item in <see cref="ItemsPerWord"/> of <paramref name="reader"/>'s.</summary>
    public static FrequentWords Choose(IndexReader reader)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var terms = MultiFields.GetTerms(reader, ArchiveFields.All);
        var threshold = Math.Max(1, reader.NumDocs / ItemsPerWord);
        if (terms is not null)
        {
            var term = terms.GetEnumerator();
            while (term.MoveNext())
            {
                if (term.DocFreq >= threshold && !LocatedTexts.IsMarker(term.Term))
                {
                    words.Add(term.Term.Utf8ToString());
                }
            }
        }
        return new FrequentWords(words);
    }

    /// <summary>The words as an index commit keeps them: words never hold a space (the tokenizer splits at spaces).</summary>
    public override string ToString() => string.Join(' ', _words.Order(StringComparer.Ordinal));

    public static FrequentWords Parse(string words) =>
        new(new HashSet<string>(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal));
}
