namespace RecordsRequests.Features.Mail;

/// <summary>
/// A request's secret reply reference: our mail about the request says <c>Reply-To: records+&lt;token&gt;@district</c>,
/// so a reply addressed there is proof that its writer received our mail. Tracking numbers are sequential and can be
/// guessed; this cannot (130 random bits). Not audited: the audit log is readable by admins and must not hand it out.
/// </summary>
public sealed class ReplyToken
{
    public Guid RequestId { get; private set; }
    public string Token { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    private ReplyToken() { }

    internal static ReplyToken Issue(Guid requestId, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        Token = ReplyAddresses.NewToken(),
        CreatedAt = now.ToUniversalTime(),
    };
}
