namespace RecordsRequests.Features.Mailboxes;

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
