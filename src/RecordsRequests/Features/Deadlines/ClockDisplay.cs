using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Deadlines;

/// <summary>How a request's clocks are shown: in the order officers read them, by the names officers and reminders use, with their urgency.</summary>
public static class ClockDisplay
{
    public static async Task<IReadOnlyList<RequestClock>> ForRequestAsync(AppDbContext db, Guid requestId, CancellationToken cancellationToken) =>
        (await db.Set<RequestClock>().AsNoTracking().Where(c => c.RequestId == requestId).ToListAsync(cancellationToken))
            .OrderBy(c => c.Kind).ToList();

    /// <summary>A clock as officers and reminders name it.</summary>
    public static string Name(ClockKind clock) => clock switch
    {
        ClockKind.DeemedReceived => "Deemed received",
        ClockKind.ResponseDue => "Written response due (day 10)",
        ClockKind.PetitionDeadline => "Last day to petition the Supervisor for more time",
        ClockKind.ProductionDue => "Production due",
        ClockKind.ExtendedProductionDue => "Production due under the Supervisor's extension",
        ClockKind.AgreedProductionDate => "Production date agreed with the requester",
        ClockKind.AppealWindowEnds => "Requester's appeal window ends",
        _ => clock.ToString(),
    };

    /// <summary>"overdue", "due-soon" or null, for a live clock; the page shows the same word as text.</summary>
    public static string? Urgency(DateOnly due, DateOnly today, int dueSoonCalendarDays = 5) =>
        due < today ? "overdue" : due <= today.AddDays(dueSoonCalendarDays) ? "due-soon" : null;
}
