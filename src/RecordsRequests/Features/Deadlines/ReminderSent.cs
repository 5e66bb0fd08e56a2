namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Proof that one reminder went out: inserted in the same transaction as its e-mails, under a unique key of request,
/// clock, kind and due date. A rerun of the sweep (after a crash, or a second worker) cannot send it again, and a
/// moved due date (an extension) is a new key, so its reminders go out for the new date.
/// </summary>
public sealed class ReminderSent
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public ClockKind Clock { get; private set; }
    public ReminderKind Kind { get; private set; }
    public DateOnly DueDate { get; private set; }
    public DateTimeOffset SentAt { get; private set; }
    public string Recipients { get; private set; } = "";

    private ReminderSent() { }

    public static ReminderSent Record(Guid requestId, ClockKind clock, ReminderKind kind, DateOnly dueDate, IEnumerable<string> recipients, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        Clock = clock,
        Kind = kind,
        DueDate = dueDate,
        SentAt = now.ToUniversalTime(),
        Recipients = string.Join(", ", recipients),
    };
}
