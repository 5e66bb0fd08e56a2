using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// The one recurring reminder job. Each run recomputes every in-flight request's clocks from the database, works out
/// which reminder each open request's live clocks are in today, and sends the ones not yet sent, each in its own
/// transaction with its reminders_sent row. So it is idempotent, a withdrawn, closed or responded request gets nothing,
/// a moved date gets reminders for the new date only, and a run that dies part-way is finished by the next run.
/// After downtime it sends only the latest reminder a clock has reached, not the warnings it slept through.
/// </summary>
public sealed class ReminderSweep(
    AppDbContext db,
    RequestClockUpdater clocks,
    Outbox outbox,
    DistrictTime time,
    ICurrentActor actor,
    IOptions<ReminderOptions> options,
    IOptions<RecordsOptions> records,
    ILogger<ReminderSweep> log)
{
    public const string JobId = "statutory-reminders";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (actor is HttpOrSystemActor system)
        {
            system.SystemName = $"job:{JobId}";
        }
        await clocks.RecomputeInFlightAsync(cancellationToken);
        var rules = await clocks.RulesAsync(cancellationToken);
        var today = time.Today;
        var open = Enum.GetValues<RequestStatus>().Where(s => s.IsOpen()).ToList();

        var due = await (
            from clock in db.Set<RequestClock>().AsNoTracking()
            join request in db.Requests.AsNoTracking() on clock.RequestId equals request.Id
            where open.Contains(request.Status)
            select new { clock.RequestId, clock.Kind, clock.DueDate, clock.Explanation, clock.Governing, request.TrackingNumber, request.AssignedOfficerId })
            .ToListAsync(cancellationToken);
        var inputs = await db.Set<RequestClockInput>().AsNoTracking().ToDictionaryAsync(i => i.RequestId, cancellationToken);
        var sent = (await db.Set<ReminderSent>().AsNoTracking().Select(r => new { r.RequestId, r.Clock, r.Kind, r.DueDate }).ToListAsync(cancellationToken))
            .Select(r => (r.RequestId, r.Clock, r.Kind, r.DueDate)).ToHashSet();

        var count = 0;
        foreach (var clock in due)
        {
            inputs.TryGetValue(clock.RequestId, out var input);
            if (!Reminds(clock.Kind, clock.Governing, input))
            {
                continue;
            }
            if (ReminderDueOn(clock.DueDate, today, rules.Calendar) is not { } kind || sent.Contains((clock.RequestId, clock.Kind, kind, clock.DueDate)))
            {
                continue;
            }
            if (await SendAsync(clock.RequestId, clock.TrackingNumber, clock.AssignedOfficerId, clock.Kind, kind, clock.DueDate, clock.Explanation, cancellationToken))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>A reminder is worth sending for a clock that still binds (<see cref="BindingClocks"/>).</summary>
    private static bool Reminds(ClockKind kind, bool governing, RequestClockInput? input) =>
        BindingClocks.StillBinds(kind, governing, input?.ToInputs() ?? ClockInputs.None);

    /// <summary>The latest reminder a clock due on <paramref name="dueDate"/> has reached by <paramref name="today"/>.</summary>
    internal ReminderKind? ReminderDueOn(DateOnly dueDate, DateOnly today, BusinessCalendar calendar)
    {
        if (today > dueDate)
        {
            return ReminderKind.Overdue;
        }
        if (today == dueDate)
        {
            return ReminderKind.DueToday;
        }
        // Warnings land on days the office is open, so closures count here whatever the counting policy.
        if (today >= calendar.BusinessDaysBefore(dueDate, options.Value.LastWarningBusinessDays, countClosures: true))
        {
            return ReminderKind.LastWarning;
        }
        if (today >= calendar.BusinessDaysBefore(dueDate, options.Value.FirstWarningBusinessDays, countClosures: true))
        {
            return ReminderKind.FirstWarning;
        }
        return null;
    }

    private async Task<bool> SendAsync(Guid requestId, string trackingNumber, string? assignedOfficerId, ClockKind clock, ReminderKind kind, DateOnly dueDate,
        string explanation, CancellationToken cancellationToken)
    {
        var recipients = await RecipientsAsync(assignedOfficerId, cancellationToken);
        if (recipients.Count == 0)
        {
            log.LogWarning("No officer or records access officer has an e-mail address; reminder for {Tracking} {Clock} not sent.", trackingNumber, clock);
            return false;
        }
        db.ChangeTracker.Clear();
        var subject = $"[{trackingNumber}] {Headline(kind, clock, dueDate)}";
        var body = Body(trackingNumber, clock, kind, dueDate, explanation);
        foreach (var address in recipients)
        {
            outbox.Queue(requestId, MailKind.Reminder, address, null, subject, body,
                idempotencyKey: string.Create(CultureInfo.InvariantCulture, $"reminder:{requestId}:{clock}:{kind}:{dueDate:yyyy-MM-dd}:{address}"));
        }
        db.Add(ReminderSent.Record(requestId, clock, kind, dueDate, recipients, time.Now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another sweep sent this reminder first; nothing is lost and nothing is repeated.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>The assigned officer (or every records officer while none is assigned) and the records access officer.</summary>
    private async Task<List<string>> RecipientsAsync(string? assignedOfficerId, CancellationToken cancellationToken)
    {
        var addresses = new List<string?>();
        if (assignedOfficerId is not null)
        {
            addresses.Add(await db.Users.Where(u => u.Id == assignedOfficerId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken));
        }
        else
        {
            addresses.AddRange(await EmailsInRoleAsync(Roles.RecordsOfficer, cancellationToken));
        }
        if (!string.IsNullOrWhiteSpace(options.Value.RecordsAccessOfficerEmail))
        {
            addresses.Add(options.Value.RecordsAccessOfficerEmail);
        }
        else
        {
            addresses.AddRange(await EmailsInRoleAsync(Roles.Admin, cancellationToken));
        }
        return addresses.OfType<string>().Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
    }

    private Task<List<string?>> EmailsInRoleAsync(string role, CancellationToken cancellationToken) => (
        from membership in db.UserRoles
        join r in db.Roles on membership.RoleId equals r.Id
        join user in db.Users on membership.UserId equals user.Id
        where r.Name == role
        select user.Email).ToListAsync(cancellationToken);

    private static string Headline(ReminderKind kind, ClockKind clock, DateOnly dueDate)
    {
        var date = dueDate.ToString("ddd MMM d", CultureInfo.InvariantCulture);
        return kind switch
        {
            ReminderKind.Overdue => $"OVERDUE: {ClockDisplay.Name(clock)} was {date}",
            ReminderKind.DueToday => $"Due today: {ClockDisplay.Name(clock)}",
            ReminderKind.LastWarning or ReminderKind.FirstWarning => $"Reminder: {ClockDisplay.Name(clock)} on {date}",
            _ => ClockDisplay.Name(clock),
        };
    }

    private string Body(string trackingNumber, ClockKind clock, ReminderKind kind, DateOnly dueDate, string explanation)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Request {trackingNumber}: {ClockDisplay.Name(clock)} — {dueDate.ToString("dddd, MMMM d, yyyy", CultureInfo.InvariantCulture)}.");
        text.AppendLine();
        text.AppendLine(kind switch
        {
            ReminderKind.Overdue => "This date has passed. A late day-10 response means no fee may be charged (950 CMR 32.06(2)(c)), and the requester may appeal to the Supervisor of Records.",
            ReminderKind.DueToday => "This is the last day.",
            _ => "This date is coming up.",
        });
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"How the date was computed: {explanation}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Open the request: /requests/{trackingNumber}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"— {records.Value.DistrictName} records system");
        return text.ToString();
    }
}
