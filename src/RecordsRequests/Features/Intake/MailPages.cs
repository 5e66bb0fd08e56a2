using MailKit;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// How a channel that fetches mail in bulk (an IMAP folder catching up) cuts it into pages. A page's originals are
/// stored and synced together and its rows committed in one transaction, so a page is what a mailbox holds in memory
/// (two at once while one is recorded and the one before it decided) and what it pays its fixed costs for (a sync, the
/// batch's lookups, a commit). Pages are bounded by count and by bytes: five hundred messages at the largest size intake
/// takes would be gigabytes.
/// </summary>
public static class MailPages
{
    /// <summary>
    /// At most this many messages to a page. A page's fixed costs (a sync, the batch's lookups, a statement a table, a
    /// commit) are much of intake's when a mailbox catches up: on the intake bench, back to back, three runs each, 200 a
    /// page took in 1,957 and 2,308 msg/s where 100 took 1,624 and 1,967; 400 took 2,227 and 2,486 where 200 took 2,147 and
    /// 2,262; 1,000 took 2,552 and 2,509 where 400 took 2,372 and 2,476. Beyond 500 the gain is within this machine's
    /// drift, while every message more is one more that a crash redelivers and a failed page retries alone. Memory is
    /// bounded by <see cref="MaxBytes"/>, not by this.
    /// </summary>
    public const int MaxMessages = 500;

    /// <summary>At most this many bytes of messages to a page, by the sizes the server reports; a larger message is a page alone.</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    /// <summary>The items in order, cut into pages by count and by <paramref name="size"/>.</summary>
    public static List<T[]> Cut<T>(IEnumerable<T> items, Func<T, long> size)
    {
        var pages = new List<T[]>();
        var page = new List<T>();
        long bytes = 0;
        foreach (var item in items)
        {
            var itemBytes = Math.Max(0, size(item));
            if (page.Count > 0 && (page.Count == MaxMessages || bytes + itemBytes > MaxBytes))
            {
                pages.Add([.. page]);
                page.Clear();
                bytes = 0;
            }
            page.Add(item);
            bytes += itemBytes;
        }
        if (page.Count > 0)
        {
            pages.Add([.. page]);
        }
        return pages;
    }

    /// <summary>
    /// The folder's messages with these UIDs, in UID order, cut into pages by the sizes the server reports (RFC822.SIZE,
    /// one command for all of them); a message the server gives no size for counts as none.
    /// </summary>
    public static async Task<List<UniqueId[]>> OfFolderAsync(IMailFolder folder, IEnumerable<UniqueId> uids, CancellationToken cancellationToken)
    {
        var ordered = uids.OrderBy(u => u.Id).ToList();
        if (ordered.Count == 0)
        {
            return [];
        }
        var sizes = (await folder.FetchAsync(ordered, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken))
            .ToDictionary(s => s.UniqueId, s => (long)(s.Size ?? 0));
        return Cut(ordered, uid => sizes.GetValueOrDefault(uid));
    }
}
