using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Public;

/// <summary>
/// What a requester may see of their own request: where it stands, the dates the law sets and why, who works on it,
/// the messages exchanged with them and the produced (redacted) files released to them. Never internal notes,
/// staff e-mail addresses, originals or another request's data.
/// </summary>
public sealed class RequesterStatus(AppDbContext db, IStatutoryDateSource dates, DistrictTime time)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    public async Task<StatusView?> LoadAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }
        var regime = dates.RegimeFor(request);
        var clocks = await ClockDisplay.ForRequestAsync(db, request.Id, cancellationToken);
        // Only the display name: a staff e-mail address is not the requester's business and invites off-record contact.
        var officer = request.AssignedOfficerId is null ? null
            : await db.Set<StaffUser>().AsNoTracking().Where(u => u.Id == request.AssignedOfficerId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking().Where(m => m.RequestId == request.Id).OrderBy(m => m.RecordedAt)
            .Select(m => new StatusMessage(m.RecordedAt, m.Direction == MessageDirection.Inbound, m.Subject, m.BodyText)).ToListAsync(cancellationToken);
        var files = await db.Set<Release>().AsNoTracking().Where(r => r.RequestId == request.Id).OrderBy(r => r.ReleasedAt)
            .SelectMany(r => r.Files.Select(f => new StatusFile(f.Id, f.FileName, f.ContentType, f.SizeBytes, r.ReleasedAt))).ToListAsync(cancellationToken);
        return new StatusView(request.TrackingNumber, request.ReceivedAt, request.Description, Summary(request.Status), Milestones(request.Status),
            Dates(request.Status, time.DateOf(request.ReceivedAt), clocks, regime), string.IsNullOrWhiteSpace(officer) ? null : officer, messages, files);
    }

    public string Day(DateOnly date) => date.ToString("ddd yyyy-MM-dd", English);

    public string Day(DateTimeOffset instant) => Day(time.DateOf(instant));

    /// <summary>What the requester reads about where their request stands; true at each step.</summary>
    public static string Summary(RequestStatus status) => status switch
    {
        RequestStatus.Received => "We have received your request.",
        RequestStatus.Acknowledged => "We have received your request and written to confirm it.",
        // Triage only reads the request; saying "searching" then would promise work that has not started.
        RequestStatus.InTriage => "We are reading your request to see which records it covers and who holds them.",
        RequestStatus.Collecting => "We are searching for the records you asked for.",
        RequestStatus.AwaitingClarification => "We have asked you a question about your request; we are waiting for your answer.",
        RequestStatus.AwaitingPayment => "We have sent you a fee estimate; we are waiting for your answer.",
        RequestStatus.InReview or RequestStatus.AwaitingCounsel => "We are reviewing the records before release.",
        RequestStatus.CounselApproved => "We have reviewed the records and are preparing our response.",
        RequestStatus.Responded => "We have responded to your request.",
        RequestStatus.UnderAppeal => "Your appeal to the Supervisor of Records is under way.",
        RequestStatus.Closed => "Your request is closed.",
        RequestStatus.Withdrawn => "You withdrew this request.",
        RequestStatus.NotARequest => "We did not treat this message as a public records request.",
        _ => status.ToString(),
    };

    /// <summary>The steps every request passes through, in order; the current one is where the status places it.</summary>
    private static List<Milestone> Milestones(RequestStatus status)
    {
        var steps = new (string Title, string Explanation)[]
        {
            ("Received", "Your request reached the district."),
            ("Acknowledged", "We confirmed receipt and told you the dates that apply."),
            ("Being searched", "We look for the records you described. We may ask you a question or send a fee estimate."),
            ("In review", "We review the records and black out what the law does not allow us to release, with the reason for each."),
            ("Released", "We send our written response and the records we can release."),
            ("Closed", "Nothing more is due on this request."),
        };
        var current = status switch
        {
            RequestStatus.Received => 0,
            RequestStatus.Acknowledged => 1,
            RequestStatus.InTriage or RequestStatus.AwaitingClarification or RequestStatus.Collecting or RequestStatus.AwaitingPayment => 2,
            RequestStatus.InReview or RequestStatus.AwaitingCounsel or RequestStatus.CounselApproved => 3,
            RequestStatus.Responded or RequestStatus.UnderAppeal => 4,
            RequestStatus.Closed or RequestStatus.Withdrawn or RequestStatus.NotARequest => 5,
            _ => 0,
        };
        return steps.Select((step, i) => new Milestone(step.Title, step.Explanation,
            i < current ? MilestoneState.Done : i == current ? MilestoneState.Current : MilestoneState.Upcoming)).ToList();
    }

    /// <summary>
    /// The stored clocks (kept current by <see cref="RequestClockUpdater"/>) in plain words. The rule citations come from the
    /// district's regime, so a corrected regime shows here at once.
    /// </summary>
    private static List<LegalDate> Dates(RequestStatus status, DateOnly receivedOn, IReadOnlyList<RequestClock> clocks, StatutoryRegime regime)
    {
        var unit = regime.Unit == DayCount.BusinessDays ? "business" : "calendar";
        var list = new List<LegalDate>();
        foreach (var clock in clocks)
        {
            LegalDate? date = clock.Kind switch
            {
                ClockKind.DeemedReceived when clock.DueDate != receivedOn => new(clock.Kind, clock.DueDate, "The day counting starts",
                    "A request that arrives on a weekend, holiday or closure day counts from the next business day (950 CMR 32.06(2)(e))."),
                ClockKind.ResponseDue => new(clock.Kind, clock.DueDate, "We must respond in writing by",
                    $"{regime.ResponseDays} {unit} days after receipt, {ResponseCitation(regime)}."),
                ClockKind.ProductionDue => new(clock.Kind, clock.DueDate, "Latest date to provide the records",
                    $"{regime.ProductionDays} {unit} days after receipt, unless you agree to a later date or the Supervisor of Records grants more time ({regime.Citation})."),
                ClockKind.ExtendedProductionDue => new(clock.Kind, clock.DueDate, "Date set by the Supervisor of Records' extension",
                    "The Supervisor of Records granted the district more time (G.L. c.66 §10(c); 950 CMR 32.06(4))."),
                ClockKind.AgreedProductionDate => new(clock.Kind, clock.DueDate, "Date you agreed to",
                    "You agreed to receive the records by this date (G.L. c.66 §10(b))."),
                // Appeal rights matter once there is a response to appeal.
                ClockKind.AppealWindowEnds when status is RequestStatus.Responded or RequestStatus.UnderAppeal or RequestStatus.Closed =>
                    new(clock.Kind, clock.DueDate, "Last day to appeal to the Supervisor of Records",
                        "You may appeal the district's response within 90 calendar days (G.L. c.66 §10A; 950 CMR 32.08(1))."),
                // The petition deadline is the district's own step, not something the requester acts on.
                _ => null,
            };
            if (date is not null)
            {
                list.Add(date);
            }
        }
        return list;
    }

    /// <summary>Day 10 is the last day for the written response (legal.md: c.66 §10(a)-(b); 950 CMR 32.06(2)(b)).</summary>
    private static string ResponseCitation(StatutoryRegime regime) =>
        regime.Unit == DayCount.CalendarDays ? regime.Citation : "G.L. c.66 §10(a)-(b); 950 CMR 32.06(2)(b)";
}
