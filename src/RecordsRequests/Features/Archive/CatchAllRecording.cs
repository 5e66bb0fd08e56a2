namespace RecordsRequests.Features.Archive;

/// <summary>
/// The words of one document's texts, as the analysis of the catch-all field (<see cref="ArchiveFields.All"/>) made
/// them, so that each text is analysed once. Every short text of an item is indexed twice, in its own field
/// (<c>subject</c>, <c>from</c>, ...) and in the catch-all, with the same analyser: the catch-all's analysis records each
/// text's words here (<see cref="CatchAllRecorder"/>) and the text's own field replays them (<see cref="RecordedWords"/>)
/// instead of running the tokenizer over the same characters again. A long text (<see cref="LocatedTexts"/>) is indexed
/// in the catch-all only, between markers of its field, which the recording names for the recorder. When the index keeps word pairs, the buckets of the pairs are
/// noted here too, for the document's <see cref="ArchiveFields.Pairs"/> field.
/// <para>
/// This relies on Lucene inverting a document's fields on the thread that adds it, in the order of their names:
/// "all" comes before every other text field and before "allpairs". <see cref="During"/> makes the recording the
/// current one for that call only.
/// </para>
/// </summary>
public sealed class CatchAllRecording
{
    [ThreadStatic]
    private static CatchAllRecording? _current;

    /// <summary>A recording this thread released, kept for the next document: its buffers (a long message's reach
    /// tens of kilobytes) and replay streams are reused instead of being garbage for every item.</summary>
    [ThreadStatic]
    private static CatchAllRecording? _spare;

    private readonly List<RecordedWords> _replays = [];

    /// <summary>The recording of the document this thread is adding; null outside <see cref="During"/> (a query's or a
    /// highlighter's analysis records nothing).</summary>
    internal static CatchAllRecording? Current => _current;

    private char[] _letters = new char[4096];
    private int _letterCount;
    private Word[] _words = new Word[512];
    private int _wordCount;
    private readonly List<Text> _texts = [];

    /// <summary>The field of each of the document's catch-all texts, in the order they are indexed.</summary>
    private readonly List<string> _fields = [];

    /// <summary>The pair buckets of the document's words, when it is indexed with word pairs; otherwise null.</summary>
    internal HashSet<uint>? PairBuckets { get; private set; }

    /// <summary>One word as the index receives it: where its letters are, and its position increment and offsets.</summary>
    internal readonly record struct Word(int LetterStart, int LetterCount, int PositionIncrement, int StartOffset, int EndOffset);

    /// <summary>One text: its words, and the position increment and offset its token stream ends with (which move the
    /// next value of the same field along, so the replay ends the same way).</summary>
    internal sealed record Text(int FirstWord, int WordCount, int EndPositionIncrement, int EndOffset);

    /// <summary>An empty recording, owned by the caller until it calls <see cref="Release"/>.</summary>
    internal static CatchAllRecording Take()
    {
        var recording = _spare ?? new CatchAllRecording();
        _spare = null;
        return recording;
    }

    /// <summary>Empties the recording for the next document built on this thread. The document it was recorded for
    /// must not be indexed again (<see cref="ItemDocument"/> refuses to).</summary>
    internal void Release()
    {
        _letterCount = 0;
        _wordCount = 0;
        _texts.Clear();
        _fields.Clear();
        PairBuckets?.Clear();
        PairWords = null;
        _spare = this;
    }

    /// <summary>The words of the next catch-all text of this document, for the field of the same text to replay.</summary>
    internal RecordedWords ReplayOfNextText(string field)
    {
        var index = _fields.Count;
        _fields.Add(field);
        // Replays are kept by text index; a located text before this one (which has none) may have left gaps.
        while (_replays.Count <= index)
        {
            _replays.Add(new RecordedWords(this, _replays.Count));
        }
        var replay = _replays[index];
        replay.Field = field;
        return replay;
    }

    /// <summary>Notes that the next catch-all text of this document is one of <paramref name="field"/>'s, which has no
    /// postings of its own: the recorder brackets it with the field's markers.</summary>
    internal void NextTextIsLocated(string field) => _fields.Add(field);

    /// <summary>The words whose pairs are noted for this document; null for every pair.</summary>
    internal FrequentWords? PairWords { get; private set; }

    internal void WithPairs(FrequentWords? words)
    {
        PairBuckets ??= [];
        PairWords = words;
    }

    /// <summary>Runs <paramref name="write"/> (an IndexWriter add or update of this recording's document) with this recording current.</summary>
    internal void During(Action write)
    {
        _current = this;
        try
        {
            write();
        }
        finally
        {
            _current = null;
        }
    }

    /// <summary>Starts recording the next catch-all text; returns the marker term to bracket it with, if its field has one.</summary>
    internal string? BeginText()
    {
        _texts.Add(new Text(_wordCount, 0, 0, 0));
        return _texts.Count <= _fields.Count ? LocatedTexts.MarkerOf(_fields[_texts.Count - 1]) : null;
    }

    internal void AddWord(ReadOnlySpan<char> letters, int positionIncrement, int startOffset, int endOffset)
    {
        if (_letterCount + letters.Length > _letters.Length)
        {
            Array.Resize(ref _letters, Math.Max(_letters.Length * 2, _letterCount + letters.Length));
        }
        letters.CopyTo(_letters.AsSpan(_letterCount));
        if (_wordCount == _words.Length)
        {
            Array.Resize(ref _words, _words.Length * 2);
        }
        _words[_wordCount++] = new Word(_letterCount, letters.Length, positionIncrement, startOffset, endOffset);
        _letterCount += letters.Length;
    }

    internal void EndText(int endPositionIncrement, int endOffset)
    {
        var text = _texts[^1];
        _texts[^1] = text with { WordCount = _wordCount - text.FirstWord, EndPositionIncrement = endPositionIncrement, EndOffset = endOffset };
    }

    /// <exception cref="InvalidOperationException">The field is inverted before the catch-all (a field whose name sorts
    /// before "all", or a document added without <see cref="During"/>): its words were never recorded.</exception>
    internal Text TextAt(int index, string field) =>
        index < _texts.Count
            ? _texts[index]
            : throw new InvalidOperationException(
                $"The archive field '{field}' replays the words the catch-all field recorded, but the catch-all has not been analysed yet ({_texts.Count} of {_fields.Count} texts). Documents must be added through ItemDocument.IndexWith, and text fields must sort after \"{ArchiveFields.All}\".");

    internal Word WordAt(int index) => _words[index];

    internal ReadOnlySpan<char> LettersOf(Word word) => _letters.AsSpan(word.LetterStart, word.LetterCount);
}
