using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// An officer's collection of one custodian's mail for a request: which connection and mailbox, the date range (district
/// dates, both included) and the search terms, who asked, and in the end how many messages it brought into the archive.
/// Audited with the request: starting it records who collected what, and its finish records how many messages.
/// Its page-by-page position and counts are in <see cref="MailCollectionProgress"/>, which moves too often to audit.
/// </summary>
public sealed class MailCollection : IAudited
{
    private MailCollection()
    {
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public Guid ConnectionId { get; private set; }

    /// <summary>The connection's name when the collection started (a connection may be renamed or replaced later).</summary>
    public string ConnectionName { get; private set; } = "";

    /// <summary>The mailbox collected: a user principal name or a Workspace user's address.</summary>
    public string Custodian { get; private set; } = "";
    public DateOnly FromDate { get; private set; }
    public DateOnly ToDate { get; private set; }

    /// <summary>The provider search the officer typed; empty: every message in the range.</summary>
    public string Terms { get; private set; } = "";
    public string StartedBy { get; private set; } = "";
    public DateTimeOffset QueuedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public MailCollectionStatus Status { get; private set; }

    /// <summary>Messages the provider listed and the archive now holds from this collection.</summary>
    public int Messages { get; private set; }

    /// <summary>Of those, how many the archive did not hold before (the rest were already imported or collected).</summary>
    public int NewToArchive { get; private set; }
    public int Failed { get; private set; }

    /// <summary>Why it stopped, or a caution about its result, in words.</summary>
    public string? Outcome { get; private set; }

    public static MailCollection Queue(Request request, MailboxConnection connection, string custodian, DateOnly from, DateOnly to, string terms,
        string startedBy, DateTimeOffset now)
    {
        if (!MailboxClients.CanCollect(connection.Kind))
        {
            throw new DomainException($"“{connection.Name}” is an IMAP connection, which reaches its own mailbox only: collect through a Microsoft 365 or Google Workspace connection.");
        }
        if (!connection.Enabled)
        {
            throw new DomainException($"“{connection.Name}” is disabled: an administrator must enable it first.");
        }
        custodian = custodian.Trim();
        if (!System.Net.Mail.MailAddress.TryCreate(custodian, out var address) || address.Address != custodian)
        {
            throw new DomainException("Give the custodian's mailbox address, such as lee.principal@district.example.");
        }
        if (to < from)
        {
            throw new DomainException("The end of the date range comes before its start.");
        }
        if (terms.Length > 500)
        {
            throw new DomainException("Search terms are limited to 500 characters.");
        }
        return new MailCollection
        {
            RequestId = request.Id,
            ConnectionId = connection.Id,
            ConnectionName = connection.Name,
            Custodian = custodian,
            FromDate = from,
            ToDate = to,
            Terms = terms.Trim(),
            StartedBy = startedBy,
            QueuedAt = now.ToUniversalTime(),
            Status = MailCollectionStatus.Queued,
        };
    }

    /// <summary>The query as the providers take it: from the start of the first day to the start of the day after the last.</summary>
    public CollectionQuery Query(Hosting.DistrictTime time) => new(Custodian, time.StartOf(FromDate), time.StartOf(ToDate.AddDays(1)), Terms);

    internal void Run()
    {
        Status = MailCollectionStatus.Running;
        Outcome = null;
    }

    internal void Finish(int messages, int newToArchive, int failed, string? caution, DateTimeOffset now)
    {
        Status = MailCollectionStatus.Finished;
        (Messages, NewToArchive, Failed) = (messages, newToArchive, failed);
        Outcome = caution;
        FinishedAt = now.ToUniversalTime();
    }

    internal void Stop(int messages, int newToArchive, int failed, string reason)
    {
        Status = MailCollectionStatus.Stopped;
        (Messages, NewToArchive, Failed) = (messages, newToArchive, failed);
        Outcome = reason.Length > 2000 ? reason[..2000] : reason;
    }
}
