using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Mailboxes;

public enum MailCollectionStatus
{
    /// <summary>Waiting for the background job to start.</summary>
    Queued,
    Running,

    /// <summary>Every matching message is in the archive.</summary>
    Finished,

    /// <summary>A provider problem stopped it; resuming carries on from its checkpoint.</summary>
    Stopped,
}

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

/// <summary>
/// Where a collection has got to: the provider's position of the next page to list (Graph's next link, Gmail's page
/// token), that page's number, and the counts so far. Saved once a page's messages are all in the archive, so a
/// collection killed mid-page lists that page again and finds its messages already stored. Not audited: the
/// collection's own row records the outcome.
/// </summary>
public sealed class MailCollectionProgress
{
    private MailCollectionProgress()
    {
    }

    public Guid CollectionId { get; private set; }
    public string? Position { get; private set; }
    public int Page { get; private set; }

    /// <summary>Messages listed, fetched and in the archive.</summary>
    public int Stored { get; private set; }
    public int Failed { get; private set; }

    /// <summary>The provider's estimate of all the messages that match (Graph's count, Gmail's result size estimate).</summary>
    public long? Expected { get; private set; }

    /// <summary>When the current run began, and how many were stored before it: the rate is this run's.</summary>
    public DateTimeOffset? RunStartedAt { get; private set; }
    public int StoredAtRunStart { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    public static MailCollectionProgress Start(Guid collectionId) => new() { CollectionId = collectionId };

    internal void BeginRun(DateTimeOffset now)
    {
        RunStartedAt = now.ToUniversalTime();
        StoredAtRunStart = Stored;
        UpdatedAt = now.ToUniversalTime();
    }

    internal void PageDone(string? next, int stored, int failed, long? expected, DateTimeOffset now)
    {
        Position = next;
        Page++;
        Stored += stored;
        Failed += failed;
        Expected = expected ?? Expected;
        UpdatedAt = now.ToUniversalTime();
    }

    /// <summary>Messages a minute in the current run (null until it has stored any).</summary>
    public double? PerMinute =>
        RunStartedAt is { } start && UpdatedAt is { } at && at > start && Stored > StoredAtRunStart
            ? (Stored - StoredAtRunStart) / (at - start).TotalMinutes : null;

    /// <summary>Time left at the current rate, from the provider's estimate (null when either is unknown).</summary>
    public TimeSpan? TimeLeft => PerMinute is { } rate && Expected is { } expected && expected > Stored
        ? TimeSpan.FromMinutes((expected - Stored) / rate) : null;
}

internal sealed class MailCollectionConfiguration : IEntityTypeConfiguration<MailCollection>
{
    public void Configure(EntityTypeBuilder<MailCollection> builder)
    {
        builder.ToTable("mail_collections");
        builder.HasOne<Request>().WithMany().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<MailboxConnection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.RequestId, c.QueuedAt });
        builder.Property(c => c.ConnectionName).HasMaxLength(200);
        builder.Property(c => c.Custodian).HasMaxLength(320);
        builder.Property(c => c.Terms).HasMaxLength(500);
        builder.Property(c => c.StartedBy).HasMaxLength(300);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Outcome).HasMaxLength(2000);
    }
}

internal sealed class MailCollectionProgressConfiguration : IEntityTypeConfiguration<MailCollectionProgress>
{
    public void Configure(EntityTypeBuilder<MailCollectionProgress> builder)
    {
        builder.ToTable("mail_collection_progress");
        builder.HasKey(p => p.CollectionId);
        builder.HasOne<MailCollection>().WithOne().HasForeignKey<MailCollectionProgress>(p => p.CollectionId).OnDelete(DeleteBehavior.Cascade);
        // Graph's next links run to hundreds of characters; no limit is documented.
        builder.Property(p => p.Position).HasColumnType("text");
        builder.Ignore(p => p.PerMinute);
        builder.Ignore(p => p.TimeLeft);
    }
}
