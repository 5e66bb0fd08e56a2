namespace RecordsRequests.Features.Requests;

public static class RequestStatusRules
{
    private static readonly Dictionary<RequestStatus, RequestStatus[]> Allowed = new()
    {
        [RequestStatus.Received] = [RequestStatus.Acknowledged, RequestStatus.InTriage],
        [RequestStatus.Acknowledged] = [RequestStatus.InTriage],
        [RequestStatus.InTriage] = [RequestStatus.AwaitingClarification, RequestStatus.Collecting, RequestStatus.NotARequest, RequestStatus.Responded],
        [RequestStatus.AwaitingClarification] = [RequestStatus.InTriage, RequestStatus.Collecting],
        [RequestStatus.Collecting] = [RequestStatus.InReview, RequestStatus.AwaitingPayment, RequestStatus.Responded],
        [RequestStatus.InReview] = [RequestStatus.AwaitingCounsel, RequestStatus.Collecting],
        // Requests approved before "counsel approved" existed still go on from "awaiting counsel".
        [RequestStatus.AwaitingCounsel] = [RequestStatus.InReview, RequestStatus.CounselApproved, RequestStatus.AwaitingPayment, RequestStatus.Responded],
        [RequestStatus.CounselApproved] = [RequestStatus.AwaitingPayment, RequestStatus.Responded],
        [RequestStatus.AwaitingPayment] = [RequestStatus.Collecting, RequestStatus.InReview, RequestStatus.Responded],
        [RequestStatus.Responded] = [RequestStatus.Closed, RequestStatus.UnderAppeal],
        // The Supervisor's order either ends the matter or sends the request back for a further response.
        [RequestStatus.UnderAppeal] = [RequestStatus.Closed, RequestStatus.Collecting],
        [RequestStatus.Closed] = [],
        [RequestStatus.Withdrawn] = [],
        [RequestStatus.NotARequest] = [RequestStatus.InTriage],
    };

    /// <summary>Open requests carry statutory clocks; terminal ones never get reminders.</summary>
    public static bool IsOpen(this RequestStatus status) =>
        status is not (RequestStatus.Closed or RequestStatus.Withdrawn or RequestStatus.NotARequest or RequestStatus.Responded);

    public static bool CanMoveTo(this RequestStatus from, RequestStatus to) =>
        // A requester may withdraw at any point while the request is still open.
        (to == RequestStatus.Withdrawn && from.IsOpen()) || Allowed[from].Contains(to);

    public static IReadOnlyList<RequestStatus> NextStatuses(this RequestStatus from) =>
        from.IsOpen() ? [.. Allowed[from], RequestStatus.Withdrawn] : Allowed[from];
}
