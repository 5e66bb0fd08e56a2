using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The last filter of the catch-all field's analysis when indexing: passes every word on unchanged and, while a
/// document is being added (<see cref="CatchAllRecording.Current"/>), records it for the text's own field to replay,
/// and notes the bucket of every two neighbouring words (split at punctuation exactly as a query splits them, the joined
/// form of a punctuated word left out) when the index keeps word pairs: of two frequent words, once the index has chosen
/// them (<see cref="FrequentWords"/>). A long text, which has no field of its own (<see cref="LocatedTexts"/>), gets its
/// field's marker at the position of its first word and again at that of its last. A marker shares its word's position
/// (an increment of 0), so the words keep their positions and, as Lucene discounts such overlaps, the field keeps its
/// length and scores; markers are neither recorded nor paired.
/// </summary>
public sealed class CatchAllRecorder : TokenFilter
{
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _position;
    private readonly IOffsetAttribute _offset;
    private readonly ITypeAttribute _type;
    private CatchAllRecording? _recording;
    private char[] _previous = new char[64];
    private int _previousLength = -1;

    /// <summary>The marker bracketing the current text; null when it has none.</summary>
    private string? _marker;
    private bool _wordSeen;
    private bool _openingMarkerDue;
    private bool _inputEnded;
    private int _lastEndOffset;

    /// <summary>The token type of a marker (a word's is the tokenizer's).</summary>
    public const string MarkerType = "<MARKER>";

    public CatchAllRecorder(TokenStream input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _type = AddAttribute<ITypeAttribute>();
    }

    public override void Reset()
    {
        base.Reset();
        _recording = CatchAllRecording.Current;
        _marker = _recording?.BeginText();
        _wordSeen = false;
        _openingMarkerDue = false;
        _inputEnded = false;
        _lastEndOffset = 0;
        // Pairs never reach across two texts (the subject's last word and the body's first).
        _previousLength = -1;
    }

    public override bool IncrementToken()
    {
        if (_openingMarkerDue)
        {
            _openingMarkerDue = false;
            GiveMarker();
            return true;
        }
        if (_inputEnded)
        {
            return false;
        }
        if (!m_input.IncrementToken())
        {
            _inputEnded = true;
            // A text without words needs no bounds: nothing can match inside it.
            if (_marker is null || !_wordSeen)
            {
                return false;
            }
            GiveMarker();
            return true;
        }
        if (_recording is null)
        {
            return true;
        }
        _lastEndOffset = _offset.EndOffset;
        _openingMarkerDue = _marker is not null && !_wordSeen;
        _wordSeen = true;
        var word = _term.Buffer.AsSpan(0, _term.Length);
        _recording.AddWord(word, _position.PositionIncrement, _offset.StartOffset, _offset.EndOffset);
        if (_recording.PairBuckets is { } buckets && !ReferenceEquals(_type.Type, PunctuationSplitFilter.JoinedType))
        {
            NotePair(buckets, _recording.PairWords, word);
        }
        return true;
    }

    public override void End()
    {
        base.End();
        _recording?.EndText(_position.PositionIncrement, _offset.EndOffset);
        _recording = null;
    }

    /// <summary>Gives the text's marker at the position of the word given last.</summary>
    private void GiveMarker()
    {
        ClearAttributes();
        _term.SetEmpty().Append(_marker);
        _position.PositionIncrement = 0;
        _offset.SetOffset(_lastEndOffset, _lastEndOffset);
        _type.Type = MarkerType;
    }

    /// <param name="frequent">Only pairs of two of these words are noted; null for every pair.</param>
    private void NotePair(HashSet<uint> buckets, FrequentWords? frequent, ReadOnlySpan<char> word)
    {
        if (frequent is not null && !frequent.Contains(word))
        {
            _previousLength = -1;
            return;
        }
        if (_previousLength >= 0)
        {
            buckets.Add(WordPairs.Bucket(_previous.AsSpan(0, _previousLength), word));
        }
        if (_previous.Length < word.Length)
        {
            _previous = new char[Math.Max(word.Length, _previous.Length * 2)];
        }
        word.CopyTo(_previous);
        _previousLength = word.Length;
    }
}
