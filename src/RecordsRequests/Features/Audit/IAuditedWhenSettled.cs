namespace RecordsRequests.Features.Audit;

/// <summary>
/// An audited entity whose rows begin as bookkeeping, written before the work that settles them: an inbound message is
/// recorded the moment its bytes are stored, before anything reads it. Such a row is not audited when it is added
/// unsettled; the change that settles it is, and every change to it is audited with all of its values before and
/// after (the row is small), so the event that settles it also carries what was recorded at its insert. A mailbox
/// catching up records thousands of messages a minute and settles them seconds later: one event each instead of two,
/// and recording a page no longer waits for the audit chain's lock while the page before it is being saved.
/// </summary>
public interface IAuditedWhenSettled : IAudited
{
    /// <summary>Whether the row's work is done (for an inbound message: it was read and decided).</summary>
    bool Settled { get; }
}
