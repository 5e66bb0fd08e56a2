namespace RecordsRequests.Features.Mail;

public static class MailKinds
{
    /// <summary>
    /// The kinds that are the district's written response to the requester (G.L. c.66 §10(b); 950 CMR 32.06(2)(b)):
    /// what the reports count as a first response. Any other kind (the acknowledgement, a clarification question,
    /// confirmations, staff mail, and any kind added later) is not, until it is named here.
    /// </summary>
    public static readonly IReadOnlyList<MailKind> Responses =
        [MailKind.Response, MailKind.Extension, MailKind.FinalResponse, MailKind.Denial, MailKind.FeeEstimate, MailKind.Release];
}
