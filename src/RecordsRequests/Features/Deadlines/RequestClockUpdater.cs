using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Keeps request_clocks equal to what the rules say today. Called whenever an input changes: a request arrives, an
/// officer records a response, extension or agreed date, an admin adds or removes a closure or edits a regime; and by
/// the reminder sweep every day as a safety net (a changed setting such as Deadlines:IncludeSuffolkCountyDays).
/// </summary>
public sealed class RequestClockUpdater(AppDbContext db, DistrictTime time, IOptions<DeadlineOptions> options)
{
    private DeadlineRules? _rules;

    /// <summary>Statuses whose clocks are kept current: every request still being worked, and responded ones whose
    /// appeal window still runs. Closed, withdrawn and non-requests keep their last clocks.</summary>
    public static IReadOnlyList<RequestStatus> InFlight { get; } =
        Enum.GetValues<RequestStatus>().Where(s => s.IsOpen() || s == RequestStatus.Responded).ToList();

    public async Task<DeadlineRules> RulesAsync(CancellationToken cancellationToken) =>
        _rules ??= await DeadlineRules.LoadAsync(db, options.Value, cancellationToken);

    /// <summary>Recomputes one request's clocks and adds the changed rows to the caller's unit of work; its SaveChanges commits them.</summary>
    public async Task<ComputedClocks> RecomputeAsync(Request request, CancellationToken cancellationToken)
    {
        var input = await InputOfAsync(request.Id, cancellationToken);
        var existing = await db.Set<RequestClock>().Where(c => c.RequestId == request.Id).ToListAsync(cancellationToken);
        var next = await db.Set<RequestNextDue>().SingleOrDefaultAsync(n => n.RequestId == request.Id, cancellationToken);
        return Recompute(await RulesAsync(cancellationToken), request.Id, request.ReceivedAt, request.GoverningLaw, input?.ToInputs() ?? ClockInputs.None, existing, next).Set;
    }

    /// <summary>
    /// A request being opened has no inputs, clocks or next-due row yet: its clocks are computed and added without
    /// three queries that would find nothing (intake opens requests by the thousand when a mailbox catches up).
    /// </summary>
    public async Task<ComputedClocks> ComputeForOpeningAsync(Request request, CancellationToken cancellationToken) =>
        Recompute(await RulesAsync(cancellationToken), request.Id, request.ReceivedAt, request.GoverningLaw, ClockInputs.None, [], null).Set;

    /// <summary>The request's clock inputs row, tracked; created (added, not yet saved) on first use.</summary>
    public async Task<RequestClockInput> InputsForEditAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var input = await InputOfAsync(requestId, cancellationToken);
        if (input is null)
        {
            input = RequestClockInput.For(requestId);
            db.Add(input);
        }
        return input;
    }

    /// <summary>Recomputes and saves every in-flight request; returns how many requests had a clock change.</summary>
    public async Task<int> RecomputeInFlightAsync(CancellationToken cancellationToken)
    {
        _rules = null;
        var rules = await RulesAsync(cancellationToken);
        var requests = await db.Requests.AsNoTracking().Where(r => InFlight.Contains(r.Status))
            .Select(r => new { r.Id, r.ReceivedAt, r.GoverningLaw }).ToListAsync(cancellationToken);
        var ids = requests.Select(r => r.Id).ToList();
        var inputs = await db.Set<RequestClockInput>().AsNoTracking().Where(i => ids.Contains(i.RequestId)).ToDictionaryAsync(i => i.RequestId, cancellationToken);
        var clocks = (await db.Set<RequestClock>().Where(c => ids.Contains(c.RequestId)).ToListAsync(cancellationToken)).ToLookup(c => c.RequestId);
        var nextDue = await db.Set<RequestNextDue>().Where(n => ids.Contains(n.RequestId)).ToDictionaryAsync(n => n.RequestId, cancellationToken);
        var changed = 0;
        foreach (var request in requests)
        {
            // Recompute reports its own changes: re-scanning the change tracker per request made this quadratic.
            if (Recompute(rules, request.Id, request.ReceivedAt, request.GoverningLaw,
                    inputs.TryGetValue(request.Id, out var input) ? input.ToInputs() : ClockInputs.None, clocks[request.Id].ToList(),
                    nextDue.GetValueOrDefault(request.Id)).ClocksChanged)
            {
                changed++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    // A row added but not yet saved (a step recording the written response) counts: the clocks follow it in the same commit.
    private async Task<RequestClockInput?> InputOfAsync(Guid requestId, CancellationToken cancellationToken) =>
        db.Set<RequestClockInput>().Local.FirstOrDefault(i => i.RequestId == requestId)
        ?? await db.Set<RequestClockInput>().SingleOrDefaultAsync(i => i.RequestId == requestId, cancellationToken);

    private (ComputedClocks Set, bool ClocksChanged) Recompute(DeadlineRules rules, Guid requestId, DateTimeOffset receivedAt, GoverningLaw law, ClockInputs inputs, List<RequestClock> existing,
        RequestNextDue? next)
    {
        var set = rules.All(receivedAt, time.Zone, rules.RegimeFor(law), inputs);
        if (next is null)
        {
            next = RequestNextDue.For(requestId);
            db.Add(next);
        }
        next.Update(set, inputs);
        var now = time.Now;
        var changed = false;
        foreach (var clock in set.Clocks)
        {
            var row = existing.FirstOrDefault(c => c.Kind == clock.Kind);
            if (row is null)
            {
                row = RequestClock.Create(requestId, clock.Kind);
                db.Add(row);
            }
            changed |= row.Update(clock.Due, clock.Kind == set.GoverningProduction, now);
        }
        // A clock that no longer applies (an extension withdrawn, an agreement cleared) must not linger for reminders.
        foreach (var stale in existing.Where(row => set.Clocks.All(c => c.Kind != row.Kind)))
        {
            db.Remove(stale);
            changed = true;
        }
        return (set, changed);
    }
}
