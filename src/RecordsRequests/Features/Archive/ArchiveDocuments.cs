using Lucene.Net.Documents;

namespace RecordsRequests.Features.Archive;

/// <summary>Builds the Lucene document of an item. Import, reindex and the benchmark all go through here.</summary>
public static class ArchiveDocuments
{
    /// <summary>Stored text is capped so one huge attachment cannot bloat the index; all of it is still searchable.</summary>
    private const int StoredTextLimit = 200_000;

    public static Document Build(Guid id, ArchiveItemKind kind, IEnumerable<string> custodians, ArchiveContent content)
    {
        var document = new Document
        {
            new StringField(ArchiveFields.Id, id.ToString("N"), Field.Store.YES),
            new StringField(ArchiveFields.Kind, kind.ToString().ToLowerInvariant(), Field.Store.YES),
        };
        foreach (var custodian in custodians.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            document.Add(new StringField(ArchiveFields.Custodian, custodian.ToLowerInvariant(), Field.Store.YES));
        }
        AddText(document, ArchiveFields.From, content.From, store: true);
        AddText(document, ArchiveFields.To, content.To, store: true);
        AddText(document, ArchiveFields.Cc, content.Cc, store: false);
        AddText(document, ArchiveFields.Bcc, content.Bcc, store: false);
        AddText(document, ArchiveFields.Subject, content.Subject, store: true);
        AddText(document, ArchiveFields.Body, content.Body, store: true);
        foreach (var attachment in content.Attachments)
        {
            AddText(document, ArchiveFields.AttachmentNames, attachment.FileName, store: true);
            AddText(document, ArchiveFields.AttachmentText, attachment.Text, store: true);
        }
        foreach (var text in new[] { content.From, content.To, content.Cc, content.Bcc, content.Subject, content.Body }
                     .Concat(content.Attachments.SelectMany(a => new[] { a.FileName, a.Text })))
        {
            if (text.Length > 0)
            {
                document.Add(new TextField(ArchiveFields.All, text, Field.Store.NO));
            }
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
        return document;
    }

    private static void AddText(Document document, string field, string value, bool store)
    {
        if (value.Length == 0)
        {
            return;
        }
        if (store && value.Length > StoredTextLimit)
        {
            document.Add(new TextField(field, value, Field.Store.NO));
            document.Add(new StoredField(field, value[..StoredTextLimit]));
            return;
        }
        document.Add(new TextField(field, value, store ? Field.Store.YES : Field.Store.NO));
    }
}
