using MimeKit;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// A mailbox reached through one provider's protocol. Fetching walks the mailbox from a stored position (Graph delta
/// link, Gmail history id, IMAP UID), hands the new messages to <c>take</c> a page at a time (so a mailbox catching up
/// stores and syncs a page together), marks them processed once taken (never deletes them), and reports each new
/// position to <c>advance</c> as soon as everything before it has been taken.
/// </summary>
public interface IMailboxClient : IAsyncDisposable
{
    /// <summary>Signs in and reads the mailbox once; returns what it found in words, or throws a <see cref="MailboxProblem"/>.</summary>
    Task<string> TestAsync(CancellationToken cancellationToken);

    Task FetchAsync(string? position, Func<IReadOnlyList<FetchedMail>, CancellationToken, Task> take, Func<string?, CancellationToken, Task> advance,
        CancellationToken cancellationToken);

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
