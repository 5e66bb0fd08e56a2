using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// Everything a clock depends on besides the request: the calendar with the district's closures, the regimes as the
/// admin set them, and the counting policy. Loaded once per unit of work (two small queries), then pure.
/// </summary>
public sealed class DeadlineRules(BusinessCalendar calendar, IReadOnlyDictionary<string, StatutoryRegime> regimes, CountingPolicy policy, string publicRecordsRegime)
{
    public BusinessCalendar Calendar { get; } = calendar;
    public CountingPolicy Policy { get; } = policy;
    public IReadOnlyDictionary<string, StatutoryRegime> Regimes { get; } = regimes;

    /// <summary>The regime named in settings for public-records requests ("municipal" or "agency").</summary>
    public StatutoryRegime PublicRecordsRegime => Regime(publicRecordsRegime);

    public StatutoryRegime Regime(string name) => Regimes.TryGetValue(name, out var regime)
        ? regime
        : throw new DomainException($"No regime named '{name}'. Known: {string.Join(", ", Regimes.Keys.Order(StringComparer.Ordinal))}.");

    public StatutoryRegime RegimeFor(GoverningLaw law) => law switch
    {
        GoverningLaw.StudentRecordAccess => Regime(StatutoryRegime.StudentRecordAccess.Name),
        GoverningLaw.MassachusettsPublicRecordsLaw => PublicRecordsRegime,
    };

    public StatutoryClocks Statutory(DateTimeOffset receivedAt, TimeZoneInfo zone, StatutoryRegime regime) =>
        DueDateCalculator.Compute(receivedAt, zone, regime, Calendar, Policy);

    public RequestClockSet All(DateTimeOffset receivedAt, TimeZoneInfo zone, StatutoryRegime regime, ClockInputs inputs) =>
        RequestClockCalculator.Compute(Statutory(receivedAt, zone, regime), inputs, Calendar, Policy);

    public static async Task<DeadlineRules> LoadAsync(AppDbContext db, DeadlineOptions options, CancellationToken cancellationToken)
    {
        var closures = await db.Set<DistrictClosure>().AsNoTracking().Select(c => new ClosureDay(c.Date, c.Reason)).ToListAsync(cancellationToken);
        var settings = await db.Set<RegimeSetting>().AsNoTracking().ToListAsync(cancellationToken);
        return Create(options, closures, settings.Select(s => s.ToRegime()));
    }

    public static DeadlineRules Load(AppDbContext db, DeadlineOptions options)
    {
        var closures = db.Set<DistrictClosure>().AsNoTracking().Select(c => new ClosureDay(c.Date, c.Reason)).ToList();
        var settings = db.Set<RegimeSetting>().AsNoTracking().ToList();
        return Create(options, closures, settings.Select(s => s.ToRegime()));
    }

    /// <summary>Regimes missing from the table (a database not yet migrated to them) fall back to the presets.</summary>
    public static DeadlineRules Create(DeadlineOptions options, IEnumerable<ClosureDay> closures, IEnumerable<StatutoryRegime> regimes)
    {
        var byName = StatutoryRegime.BuiltIn.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var regime in regimes)
        {
            byName[regime.Name] = regime;
        }
        return new DeadlineRules(
            new BusinessCalendar(options.IncludeSuffolkCountyDays, closures),
            byName,
            new CountingPolicy(options.ClosuresInsidePeriodAreSkipped, options.AfterHoursCutoff),
            options.Regime);
    }
}
