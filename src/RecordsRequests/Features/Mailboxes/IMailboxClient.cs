using MimeKit;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// A mailbox reached through one provider's protocol. Fetching walks the mailbox from a stored position (Graph delta
/// link, Gmail history id, IMAP UID), hands the new messages to <c>take</c> a page at a time (so a mailbox catching up
/// stores and syncs a page together), marks them processed once taken (never deletes them), and reports each new
/// position to <c>advance</c> as soon as everything before it has been taken.
/// <para>
/// <c>take</c> answers in two steps: its task ends once the page is recorded (originals durable, rows committed, being
/// read), with a second task that ends once the page is taken in (decided, acted on, committed). A client may hand over
/// its next page in between, so one page is recorded while the one before it is decided; it marks a page and advances
/// past it only once its second task has ended, and in the order it handed the pages over.
/// </para>
/// </summary>
public interface IMailboxClient : IAsyncDisposable
{
    /// <summary>Signs in and reads the mailbox once; returns what it found in words, or throws a <see cref="MailboxProblem"/>.</summary>
    Task<string> TestAsync(CancellationToken cancellationToken);

    Task FetchAsync(string? position, Func<IReadOnlyList<FetchedMail>, CancellationToken, Task<Task>> take, Func<string?, CancellationToken, Task> advance,
        CancellationToken cancellationToken);

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
