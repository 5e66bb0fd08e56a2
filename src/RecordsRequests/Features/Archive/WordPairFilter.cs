using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Emits, for every two neighbouring words, the bucket of the pair (<see cref="BucketTerm"/>) once per text, and nothing
/// for a text of one word. Every pair token costs indexing time, and the pairs are only used to narrow phrase searches,
/// which check word positions themselves: so a pair is written as a 4-letter bucket name (65,536 buckets keep the
/// term dictionary small) and a bucket already written for this text is not written again. Lucene's ShingleFilter
/// wrote every pair in full and tripled the CPU time of indexing. Expects a stream without stacked tokens.
/// </summary>
public sealed class WordPairFilter : TokenFilter
{
    private const int BucketLetters = 4;

    private readonly ICharTermAttribute _term;
    private readonly HashSet<uint> _written = [];
    private char[] _previous = new char[64];
    private int _previousLength = -1;

    public WordPairFilter(TokenStream input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
    }

    public override bool IncrementToken()
    {
        while (m_input.IncrementToken())
        {
            var word = _term.Buffer.AsSpan(0, _term.Length);
            var bucket = _previousLength < 0 ? (uint?)null : Bucket(_previous.AsSpan(0, _previousLength), word);
            Remember(word);
            if (bucket is { } pair && _written.Add(pair))
            {
                Write(_term.ResizeBuffer(BucketLetters), pair);
                _term.Length = BucketLetters;
                return true;
            }
        }
        return false;
    }

    /// <summary>The term for the pair of two words as the index holds it.</summary>
    public static string BucketTerm(string first, string second) =>
        string.Create(BucketLetters, Bucket(first, second), (letters, bucket) => Write(letters, bucket));

    /// <summary>FNV-1a over the two words and a space between them, folded to 16 bits.</summary>
    private static uint Bucket(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        var hash = 2166136261u;
        foreach (var c in first)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash = (hash ^ ' ') * 16777619u;
        foreach (var c in second)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (hash ^ (hash >> 16)) & 0xFFFF;
    }

    private static void Write(Span<char> letters, uint bucket)
    {
        for (var i = 0; i < BucketLetters; i++)
        {
            letters[i] = (char)('a' + ((bucket >> (4 * i)) & 0xF));
        }
    }

    private void Remember(ReadOnlySpan<char> word)
    {
        if (_previous.Length < word.Length)
        {
            _previous = new char[Math.Max(word.Length, _previous.Length * 2)];
        }
        word.CopyTo(_previous);
        _previousLength = word.Length;
    }

    public override void Reset()
    {
        base.Reset();
        _previousLength = -1;
        _written.Clear();
    }
}
