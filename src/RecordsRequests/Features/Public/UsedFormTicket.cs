namespace RecordsRequests.Features.Public;

/// <summary>A public-form ticket that has been used; a second post with it is a replay.</summary>
public sealed class UsedFormTicket
{
    public string Nonce { get; private set; } = "";
    public DateTimeOffset UsedAt { get; private set; }

    private UsedFormTicket() { }
}
