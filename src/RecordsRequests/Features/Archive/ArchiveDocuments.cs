using Lucene.Net.Documents;

namespace RecordsRequests.Features.Archive;

/// <summary>Builds the Lucene document of an item. Import, reindex and the benchmark all go through here.</summary>
public static class ArchiveDocuments
{
    /// <summary>
    /// Body and attachment text are indexed whole but stored only this far, as the source of a hit's snippet: the
    /// originals are in the content store, and storing (compressing) whole bodies cost ingest time and index size for
    /// text nothing reads. Subjects and addresses are short and stored whole.
    /// </summary>
    public const int SnippetSourceChars = 5_000;

    /// <summary>
    /// The layout of the documents built here, kept in each index commit. An index with an earlier layout is not
    /// searched (its documents lack fields the queries use): <c>ops/records reindex</c> rebuilds it from the originals,
    /// ops/run does so when it starts, and an import does so first. 2: the catch-all field <see cref="ArchiveFields.All"/>.
    /// 3: words split at inner punctuation. 4: body and attachment text only in the catch-all, between markers.
    /// </summary>
    public const int Schema = 4;

    public static ItemDocument Build(Guid id, ArchiveItemKind kind, IEnumerable<string> custodians, ArchiveContent content)
    {
        var texts = CatchAllRecording.Take();
        var document = new Document
        {
            new StringField(ArchiveFields.Id, id.ToString("N"), Field.Store.YES),
            new StringField(ArchiveFields.Kind, kind.ToString().ToLowerInvariant(), Field.Store.YES),
        };
        foreach (var custodian in custodians.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            document.Add(new StringField(ArchiveFields.Custodian, custodian.ToLowerInvariant(), Field.Store.YES));
        }
        AddText(document, texts, ArchiveFields.From, content.From, store: true);
        AddText(document, texts, ArchiveFields.To, content.To, store: true);
        AddText(document, texts, ArchiveFields.Cc, content.Cc, store: false);
        AddText(document, texts, ArchiveFields.Bcc, content.Bcc, store: false);
        AddText(document, texts, ArchiveFields.Subject, content.Subject, store: true);
        AddLongText(document, texts, ArchiveFields.Body, content.Body);
        foreach (var attachment in content.Attachments)
        {
            AddText(document, texts, ArchiveFields.AttachmentNames, attachment.FileName, store: true);
            AddLongText(document, texts, ArchiveFields.AttachmentText, attachment.Text);
        }
        if (content.SentAt is { } sent)
        {
            var milliseconds = sent.ToUnixTimeMilliseconds();
            document.Add(new Int64Field(ArchiveFields.Date, milliseconds, Field.Store.YES));
            document.Add(new NumericDocValuesField(ArchiveFields.Date, milliseconds));
        }
        if (content.MessageId is not null)
        {
            document.Add(new StringField(ArchiveFields.MessageId, content.MessageId, Field.Store.YES));
        }
        if (content.ThreadId is not null)
        {
            document.Add(new StringField(ArchiveFields.Thread, content.ThreadId, Field.Store.YES));
        }
        document.Add(new NumericDocValuesField(ArchiveFields.Attachments, content.Attachments.Count));
        document.Add(new NumericDocValuesField(ArchiveFields.Pages, content.EstimatedPages));
        return new ItemDocument(document, texts);
    }

    private static void AddText(Document document, CatchAllRecording texts, string field, string value, bool store)
    {
        if (value.Length > 0)
        {
            // Indexed before stored: Lucene puts its gap between values before every value of a field but the first,
            // stored-only ones included, and the first word of a subject is at position 0.
            AddIndexedText(document, texts, field, value);
            if (store)
            {
                document.Add(new StoredField(field, value));
            }
        }
    }

    /// <summary>Indexes all of the text; stores its opening as the snippet source. An empty value is still stored, so
    /// the n-th stored attachment text stays beside the n-th attachment name.</summary>
    private static void AddLongText(Document document, CatchAllRecording texts, string field, string value)
    {
        if (value.Length > 0)
        {
            AddIndexedText(document, texts, field, value);
        }
        document.Add(new StoredField(field, value.Length > SnippetSourceChars ? value[..SnippetSourceChars] : value));
    }

    /// <summary>The text is analysed once, as a value of the catch-all field; its own field replays those words, unless it
    /// is a long text, found in the catch-all between its field's markers (<see cref="LocatedTexts"/>).</summary>
    private static void AddIndexedText(Document document, CatchAllRecording texts, string field, string value)
    {
        document.Add(new TextField(ArchiveFields.All, value, Field.Store.NO));
        if (LocatedTexts.Fields.Contains(field))
        {
            texts.NextTextIsLocated(field);
            return;
        }
        document.Add(new Field(field, texts.ReplayOfNextText(field), TextField.TYPE_NOT_STORED));
    }
}
