using Lucene.Net.Documents;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// An item's Lucene document (<see cref="ArchiveDocuments.Build"/>) with the recording its texts are analysed into:
/// its text fields replay the words the catch-all field's analysis records, so it is indexed only through
/// <see cref="IndexWith"/>, which makes that recording current while Lucene inverts it.
/// </summary>
public sealed class ItemDocument
{
    private CatchAllRecording? _recording;

    internal ItemDocument(Document fields, CatchAllRecording recording)
    {
        Fields = fields;
        _recording = recording;
    }

    public Document Fields { get; }

    /// <param name="write">Adds or updates <see cref="Fields"/> in an IndexWriter, on this thread.</param>
    /// <param name="wordPairs">Also index the document's <see cref="ArchiveFields.Pairs"/>.</param>
    /// <param name="frequentWords">The words whose pairs are kept; null for every pair.</param>
    /// <exception cref="InvalidOperationException">The document was indexed already: its recording now serves another.</exception>
    public void IndexWith(Action<Document> write, bool wordPairs, FrequentWords? frequentWords = null)
    {
        var recording = _recording ?? throw new InvalidOperationException("An archive document is indexed once; build it again to index it again.");
        _recording = null;
        try
        {
            if (wordPairs)
            {
                recording.WithPairs(frequentWords);
                Fields.Add(new Field(ArchiveFields.Pairs, new PairBucketTokens(recording.PairBuckets!), PairBucketTokens.FieldType));
            }
            recording.During(() => write(Fields));
        }
        finally
        {
            recording.Release();
        }
    }
}
