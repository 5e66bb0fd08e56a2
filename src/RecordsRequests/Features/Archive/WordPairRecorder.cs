using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Notes, while the catch-all field is analysed for the index, the bucket of every two neighbouring words (split at
/// punctuation exactly as a query splits them, the joined form of a punctuated word left out) into the
/// <see cref="WordPairSink"/> of the document being indexed; the document's <see cref="ArchiveFields.Pairs"/> field
/// then writes each bucket once. Passes every token on unchanged.
/// <para>
/// The pairs used to be a field of their own, analysed from the same texts again: a third tokenisation of every text,
/// which made an import with pairs half as slow again as one without. Here they cost a hash per word.
/// </para>
/// </summary>
public sealed class WordPairRecorder : TokenFilter
{
    internal const int BucketLetters = 4;

    private readonly ICharTermAttribute _term;
    private readonly ITypeAttribute _type;
    private char[] _previous = new char[64];
    private int _previousLength = -1;

    public WordPairRecorder(TokenStream input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _type = AddAttribute<ITypeAttribute>();
    }

    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken())
        {
            return false;
        }
        var sink = WordPairSink.Current;
        if (sink is null || ReferenceEquals(_type.Type, PunctuationSplitFilter.JoinedType))
        {
            return true;
        }
        var word = _term.Buffer.AsSpan(0, _term.Length);
        if (_previousLength >= 0)
        {
            sink.Add(Bucket(_previous.AsSpan(0, _previousLength), word));
        }
        if (_previous.Length < word.Length)
        {
            _previous = new char[Math.Max(word.Length, _previous.Length * 2)];
        }
        word.CopyTo(_previous);
        _previousLength = word.Length;
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        // Pairs never reach across two texts (the subject's last word and the body's first).
        _previousLength = -1;
    }

    /// <summary>The term for the pair of two words as the index holds it: 65,536 buckets keep the term dictionary small.</summary>
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

    internal static void Write(Span<char> letters, uint bucket)
    {
        for (var i = 0; i < BucketLetters; i++)
        {
            letters[i] = (char)('a' + ((bucket >> (4 * i)) & 0xF));
        }
    }
}

/// <summary>
/// The pair buckets of the one document this thread is indexing. Lucene indexes a document on the thread that adds it,
/// and inverts its fields in name order, so the catch-all field (<see cref="ArchiveFields.All"/>, whose analysis
/// fills the sink) is done before <see cref="ArchiveFields.Pairs"/> (which reads it).
/// </summary>
public sealed class WordPairSink
{
    [ThreadStatic]
    private static WordPairSink? _current;

    private readonly HashSet<uint> _buckets = [];

    internal static WordPairSink? Current => _current;

    internal void Add(uint bucket) => _buckets.Add(bucket);

    /// <summary>Only which items hold a pair is needed (the phrase itself checks positions): no frequencies, positions or norms.</summary>
    private static readonly FieldType PairsType = new FieldType
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    }.Freeze();

    /// <summary>Adds the document with its <see cref="ArchiveFields.Pairs"/> field, filled from its own catch-all words.</summary>
    public static void IndexWithPairs(Document document, Action<Document> index)
    {
        var sink = new WordPairSink();
        document.Add(new Field(ArchiveFields.Pairs, new BucketTokens(sink), PairsType));
        _current = sink;
        try
        {
            index(document);
        }
        finally
        {
            _current = null;
        }
    }

    /// <summary>Writes each bucket the sink holds once it is read, after the catch-all field was analysed.</summary>
    private sealed class BucketTokens : TokenStream
    {
        private readonly WordPairSink _sink;
        private readonly ICharTermAttribute _term;
        private HashSet<uint>.Enumerator _next;

        public BucketTokens(WordPairSink sink)
        {
            _sink = sink;
            _term = AddAttribute<ICharTermAttribute>();
        }

        public override void Reset()
        {
            base.Reset();
            _next = _sink._buckets.GetEnumerator();
        }

        public override bool IncrementToken()
        {
            if (!_next.MoveNext())
            {
                return false;
            }
            ClearAttributes();
            WordPairRecorder.Write(_term.ResizeBuffer(WordPairRecorder.BucketLetters), _next.Current);
            _term.Length = WordPairRecorder.BucketLetters;
            return true;
        }
    }
}
