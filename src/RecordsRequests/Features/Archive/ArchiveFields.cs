namespace RecordsRequests.Features.Archive;

public static class ArchiveFields
{
    public const string Id = "id";
    public const string Kind = "kind";
    public const string Custodian = "custodian";
    public const string From = "from";
    public const string To = "to";
    public const string Cc = "cc";
    public const string Bcc = "bcc";
    public const string Subject = "subject";
    public const string Body = "body";
    public const string AttachmentNames = "attachment";
    public const string AttachmentText = "attachmenttext";
    public const string Date = "date";
    public const string MessageId = "messageid";
    public const string Thread = "thread";

    /// <summary>
    /// Every text field's words again, in one field: a term typed without a field name searches this one postings list
    /// instead of a disjunction over eight fields (that disjunction cost a common word over 100 ms at a million messages).
    /// Indexed only, never stored.
    /// </summary>
    public const string All = "all";

    /// <summary>
    /// Every two neighbouring words of <see cref="All"/> that are both frequent (<see cref="FrequentWords"/>; every two
    /// until the index chose them), hashed into one of 65,536 buckets, indexed only, unless the district turned
    /// <see cref="ArchiveOptions.WordPairs"/> off. A phrase of frequent words typed without a field then also requires
    /// the buckets of its pairs, whose lists are short even when each word is common, so Lucene checks word positions in
    /// few items instead of in every item holding all the words (at a million messages the slowest kind of query).
    /// </summary>
    public const string Pairs = "allpairs";

    public const string Attachments = "attachments";
    public const string Pages = "pages";

    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal) { Custodian, MessageId, Thread, Kind, Id };
}
