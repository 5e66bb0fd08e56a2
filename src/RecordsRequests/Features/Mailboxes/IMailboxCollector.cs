namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Lists a custodian's mail matching a query, a page at a time from a position the caller keeps, and reads each
/// message as raw MIME. Nothing in the mailbox is changed: collection reads, it never marks or moves.
/// </summary>
public interface IMailboxCollector
{
    /// <param name="position">Where the page starts, as the previous page's <see cref="CollectionPage.Next"/> gave it; null for the first.</param>
    Task<CollectionPage> ListAsync(CollectionQuery query, string? position, CancellationToken cancellationToken);

    Task<byte[]> GetRawAsync(CollectionQuery query, string id, CancellationToken cancellationToken);

    /// <summary>The most messages the provider returns for this query whatever the paging (null: no limit).</summary>
    int? ResultLimit(CollectionQuery query);
}
