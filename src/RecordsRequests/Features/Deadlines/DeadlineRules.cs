using Microsoft.EntityFrameworkCore;
using Npgsql;
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

    public StatutoryDates Statutory(DateTimeOffset receivedAt, TimeZoneInfo zone, StatutoryRegime regime) =>
        StatutoryDateCalculator.Compute(receivedAt, zone, regime, Calendar, Policy);

    public ComputedClocks All(DateTimeOffset receivedAt, TimeZoneInfo zone, StatutoryRegime regime, ClockInputs inputs) =>
        ClockCalculator.Compute(Statutory(receivedAt, zone, regime), inputs, Calendar, Policy);

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

    /// <summary>
    /// The same data read with two plain queries, for the command line: building the EF model costs seconds on a busy
    /// machine, more than computing ten thousand dates.
    /// </summary>
    public static async Task<DeadlineRules> LoadAsync(NpgsqlDataSource dataSource, DeadlineOptions options, CancellationToken cancellationToken)
    {
        var closures = new List<ClosureDay>();
        await using (var command = dataSource.CreateCommand("SELECT date, reason FROM district_closures"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                closures.Add(new ClosureDay(reader.GetFieldValue<DateOnly>(0), reader.GetString(1)));
            }
        }
        var regimes = new List<StatutoryRegime>();
        await using (var command = dataSource.CreateCommand(
            "SELECT name, description, unit, response_days, petition_days, production_days, max_supervisor_extension_days, citation FROM regime_settings"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                regimes.Add(new StatutoryRegime(reader.GetString(0), reader.GetString(1), Enum.Parse<DayCount>(reader.GetString(2)),
                    reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetString(7)));
            }
        }
        return Create(options, closures, regimes);
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
