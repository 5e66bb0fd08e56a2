using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// An exact phrase on the catch-all field whose words are checked one at a time, rarest first: a denser word is
/// advanced to an item only where the rarer words already stand in the phrase's order, so most of its list is skipped
/// rather than decoded. Lucene's phrase scorer advances every word to every item holding all of them and reads their
/// positions there (at 1,000,000 generated messages, "please let me know": four words in 39 to 67 % of the messages,
/// all four in 146,337 of them). Where the index keeps word pairs (<see cref="ArchiveFields.Pairs"/>), only the items
/// holding all of the phrase's pairs are visited. It finds and scores exactly what the phrase finds and scores.
/// <para>
/// Why not the phrase and the pairs as required clauses of one BooleanQuery: Lucene 4.8's phrase scorer, asked to advance
/// to a candidate that turns out not to hold the phrase, walks on by itself through every item holding all the words
/// until one does. So for a phrase of common words that is rare or absent ("please let me know"), the pairs narrowed
/// nothing: at 200,000 messages the phrase took 145 ms, with its pairs as clauses 83 ms, and the pairs alone 0.9 ms.
/// Here the pairs lead and each of their items is checked once.
/// </para>
/// </summary>
public sealed class RarestWordFirstPhraseQuery : Query
{
    private readonly Term[] _terms;
    private readonly int[] _positions;
    private readonly Term[] _pairs;

    /// <param name="phrase">An exact phrase (no slop) of at least two words, all on one field.</param>
    /// <param name="pairs">Terms every item holding the phrase holds (its word pairs' buckets); none where the index keeps no pairs of its words.</param>
    public RarestWordFirstPhraseQuery(PhraseQuery phrase, IReadOnlyList<Term> pairs)
    {
        _terms = phrase.GetTerms();
        _positions = phrase.GetPositions();
        if (phrase.Slop != 0 || _terms.Length < 2 || _terms.Any(t => t.Field != _terms[0].Field))
        {
            throw new ArgumentException("an exact phrase of two or more words on one field is needed", nameof(phrase));
        }
        _pairs = [.. pairs];
        Boost = phrase.Boost;
    }

    private string Field => _terms[0].Field;

    public override Weight CreateWeight(IndexSearcher searcher) => new PairsFirstWeight(this, searcher);

    /// <summary>The phrase's words (not the pairs): what the highlighter marks.</summary>
    public override void ExtractTerms(ISet<Term> terms)
    {
        foreach (var term in _terms)
        {
            terms.Add(term);
        }
    }

    public override string ToString(string field)
    {
        var words = new string[_positions.Max() + 1];
        for (var i = 0; i < _terms.Length; i++)
        {
            words[_positions[i]] = words[_positions[i]] is null ? _terms[i].Text : words[_positions[i]] + "|" + _terms[i].Text;
        }
        var phrase = "\"" + string.Join(' ', words.Select(w => w ?? "?")) + "\"";
        return (Field == field ? phrase : Field + ":" + phrase) + ToStringUtils.Boost(Boost);
    }

    public override bool Equals(object? obj) =>
        obj is RarestWordFirstPhraseQuery other && Boost == other.Boost && _terms.SequenceEqual(other._terms)
        && _positions.SequenceEqual(other._positions) && _pairs.SequenceEqual(other._pairs);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Boost);
        foreach (var term in _terms.Concat(_pairs))
        {
            hash.Add(term);
        }
        foreach (var position in _positions)
        {
            hash.Add(position);
        }
        return hash.ToHashCode();
    }

    /// <summary>Weighs the phrase as Lucene's PhraseQuery does (same similarity, statistics and normalisation), so the
    /// scores are the phrase's own.</summary>
    private sealed class PairsFirstWeight : Weight
    {
        private readonly RarestWordFirstPhraseQuery _query;
        private readonly Similarity _similarity;
        private readonly Similarity.SimWeight _stats;
        private readonly TermContext[] _states;

        public PairsFirstWeight(RarestWordFirstPhraseQuery query, IndexSearcher searcher)
        {
            _query = query;
            _similarity = searcher.Similarity;
            var context = searcher.TopReaderContext;
            _states = [.. query._terms.Select(t => TermContext.Build(context, t))];
            var termStatistics = query._terms.Select((t, i) => searcher.TermStatistics(t, _states[i])).ToArray();
            _stats = _similarity.ComputeWeight(query.Boost, searcher.CollectionStatistics(query.Field), termStatistics);
        }

        public override Query Query => _query;

        public override float GetValueForNormalization() => _stats.GetValueForNormalization();

        public override void Normalize(float norm, float topLevelBoost) => _stats.Normalize(norm, topLevelBoost);

        public override Scorer? GetScorer(AtomicReaderContext context, IBits? acceptDocs)
        {
            var reader = context.AtomicReader;
            var words = reader.GetTerms(_query.Field);
            if (words is null)
            {
                return null;
            }
            var pairDocs = new List<DocsEnum>(_query._pairs.Length);
            if (_query._pairs.Length > 0)
            {
                var pairsEnum = reader.GetTerms(ArchiveFields.Pairs)?.GetEnumerator();
                foreach (var pair in _query._pairs)
                {
                    if (pairsEnum is null || !pairsEnum.SeekExact(pair.Bytes))
                    {
                        return null;
                    }
                    pairDocs.Add(pairsEnum.Docs(acceptDocs, null, DocsFlags.NONE));
                }
            }
            var wordsEnum = words.GetEnumerator();
            var positions = new DocsAndPositionsEnum[_query._terms.Length];
            for (var i = 0; i < positions.Length; i++)
            {
                if (_states[i].Get(context.Ord) is not { } state)
                {
                    return null;
                }
                wordsEnum.SeekExact(_query._terms[i].Bytes, state);
                positions[i] = wordsEnum.DocsAndPositions(acceptDocs, null, DocsAndPositionsFlags.NONE)
                    ?? throw new InvalidOperationException($"field \"{_query.Field}\" was indexed without positions; a phrase cannot be searched on it");
            }
            // The rarest word first: a denser word's list is then advanced only to items where the rarer ones stand in
            // the phrase's order, skipping the rest of its documents and positions instead of decoding them.
            var rarestFirst = Enumerable.Range(0, positions.Length).OrderBy(i => positions[i].GetCost()).ToArray();
            return new PairsFirstScorer(this, [.. pairDocs.OrderBy(d => d.GetCost())], [.. rarestFirst.Select(i => positions[i])],
                [.. rarestFirst.Select(i => _query._positions[i])], _similarity.GetSimScorer(_stats, context));
        }

        public override Explanation Explain(AtomicReaderContext context, int doc)
        {
            if (GetScorer(context, context.AtomicReader.LiveDocs) is PairsFirstScorer scorer && scorer.Advance(doc) == doc)
            {
                var freq = scorer.Freq;
                var score = _similarity.GetSimScorer(_stats, context).Explain(doc, new Explanation(freq, "phraseFreq=" + freq));
                var result = new ComplexExplanation(true, score.Value, $"weight({Query} in {doc}) [{_similarity.GetType().Name}], result of:");
                result.AddDetail(score);
                return result;
            }
            return new ComplexExplanation(false, 0f, "the phrase is not in this item");
        }
    }

    private sealed class PairsFirstScorer(Weight weight, DocsEnum[] pairs, DocsAndPositionsEnum[] words, int[] wordPositions, Similarity.SimScorer simScorer)
        : Scorer(weight)
    {
        private int _doc = -1;
        private int _freq;
        private int[] _starts = new int[16];
        private int[] _next = new int[16];

        public override int DocID => _doc;

        public override int Freq => _freq;

        public override float GetScore() => simScorer.Score(_doc, _freq);

        /// <summary>The shortest pair list, or without pairs the rarest word's.</summary>
        private DocIdSetIterator Lead => pairs.Length > 0 ? pairs[0] : words[0];

        public override long GetCost() => Lead.GetCost();

        public override int NextDoc() => _doc = FirstMatchFrom(Lead.NextDoc());

        public override int Advance(int target) => _doc = FirstMatchFrom(Lead.Advance(target));

        /// <summary>From a document of the lead list: the first that holds every pair and the phrase.</summary>
        private int FirstMatchFrom(int doc)
        {
            while (doc != NO_MORE_DOCS)
            {
                var behind = doc;
                for (var i = 1; i < pairs.Length && behind == doc; i++)
                {
                    behind = pairs[i].DocID < doc ? pairs[i].Advance(doc) : pairs[i].DocID;
                }
                if (behind != doc)
                {
                    doc = Lead.Advance(behind);
                    continue;
                }
                _freq = PhraseFrequency(doc);
                if (_freq > 0)
                {
                    return doc;
                }
                doc = Lead.NextDoc();
            }
            return NO_MORE_DOCS;
        }

        /// <summary>How many times the words stand in the document at the phrase's relative positions. Each word, rarest
        /// first, is advanced to the document only while the words before it still leave somewhere the phrase could start.</summary>
        private int PhraseFrequency(int doc)
        {
            var count = 0;
            for (var i = 0; i < words.Length; i++)
            {
                var word = words[i];
                if ((word.DocID < doc ? word.Advance(doc) : word.DocID) != doc)
                {
                    return 0;
                }
                if (i == 0)
                {
                    count = Starts(word, wordPositions[i], ref _starts);
                    continue;
                }
                // Where the phrase could start according to the words so far, kept only where this one follows suit.
                var candidates = Starts(word, wordPositions[i], ref _next);
                count = Intersect(_starts, count, _next, candidates);
                if (count == 0)
                {
                    return 0;
                }
            }
            return count;
        }

        private static int Starts(DocsAndPositionsEnum word, int offset, ref int[] into)
        {
            var freq = word.Freq;
            if (into.Length < freq)
            {
                into = new int[Math.Max(freq, 2 * into.Length)];
            }
            for (var i = 0; i < freq; i++)
            {
                into[i] = word.NextPosition() - offset;
            }
            return freq;
        }

        /// <summary>Keeps in <paramref name="kept"/> the values also in <paramref name="other"/> (both ascending).</summary>
        private static int Intersect(int[] kept, int keptCount, int[] other, int otherCount)
        {
            int count = 0, j = 0;
            for (var i = 0; i < keptCount && j < otherCount; i++)
            {
                while (j < otherCount && other[j] < kept[i])
                {
                    j++;
                }
                if (j < otherCount && other[j] == kept[i])
                {
                    kept[count++] = kept[i];
                }
            }
            return count;
        }
    }
}
