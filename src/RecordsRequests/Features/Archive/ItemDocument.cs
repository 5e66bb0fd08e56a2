using Lucene.Net.Documents;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// An item's Lucene document (<see cref="ArchiveDocuments.Build"/>) with the recording its texts are analysed into:
/// its text fields replay the words the catch-all field's analysis records, so it is indexed only through
/// <see cref="IndexWith"/>, which makes that recording current while Lucene inverts it.
/// </summary>
public sealed class ItemDocument
{
    private readonly CatchAllRecording _recording;

    internal ItemDocument(Document fields, CatchAllRecording recording)
    {
        Fields = fields;
        _recording = recording;
    }

    public Document Fields { get; }

    /// <param name="write">Adds or updates <see cref="Fields"/> in an IndexWriter, on this thread.</param>
    /// <param name="wordPairs">Also index the document's <see cref="ArchiveFields.Pairs"/>.</param>
    public void IndexWith(Action<Document> write, bool wordPairs)
    {
        if (wordPairs)
        {
            _recording.WithPairs();
            Fields.Add(new Field(ArchiveFields.Pairs, new PairBucketTokens(_recording.PairBuckets!), PairBucketTokens.FieldType));
        }
        _recording.During(() => write(Fields));
    }
}
