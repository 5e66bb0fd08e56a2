namespace RecordsRequests.Features.Archive;

/// <summary>The searchable parts of one archived message or document, as extracted from its stored original.</summary>
public sealed record ArchiveContent(
    string? MessageId,
    string? ThreadId,
    string Subject,
    string From,
    string To,
    string Cc,
    string Bcc,
    DateTimeOffset? SentAt,
    string Body,
    IReadOnlyList<ArchiveAttachment> Attachments)
{
    /// <summary>
    /// Printed pages the item would fill, as input to a fee estimate (G.L. c.66 §10(d) lets a fee be charged for the
    /// time spent and per page): the body at about 3,000 characters a page plus each attachment's own pages.
    /// </summary>
    public int EstimatedPages => PagesOfText(Body.Length + Subject.Length) + Attachments.Sum(a => a.Pages);

    public static int PagesOfText(int characters) => Math.Max(1, (characters + CharactersPerPage - 1) / CharactersPerPage);

    public const int CharactersPerPage = 3000;
}
