namespace RecordsRequests.Features.Public;

public enum TicketCheck
{
    Valid,
    /// <summary>Missing, forged or older than its lifetime: the form must be loaded again.</summary>
    Expired,
    /// <summary>Already used once.</summary>
    Replayed,
}
