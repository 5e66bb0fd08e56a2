namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// How far intake has read a connection's mailbox: the Graph delta link, the Gmail history id, or the IMAP UIDVALIDITY
/// and last UID. Saved after every page, so a restart resumes where the last one stopped. Not audited: it moves with
/// every poll, and the messages it lets in are audited themselves.
/// </summary>
public sealed class MailboxCheckpoint
{
    private MailboxCheckpoint()
    {
    }

    public Guid ConnectionId { get; private set; }
    public string? Position { get; private set; }
    public DateTimeOffset? LastPolledAt { get; private set; }
    public string? LastError { get; private set; }

    public static MailboxCheckpoint Start(Guid connectionId) => new() { ConnectionId = connectionId };

    public void Advance(string? position) => Position = position;

    public void NotePoll(DateTimeOffset now, string? error)
    {
        LastPolledAt = now;
        LastError = error is { Length: > 2000 } ? error[..2000] : error;
    }
}
