using Microsoft.Extensions.Options;

namespace RecordsRequests.Hosting;

/// <summary>
/// Converts instants to the district's calendar. Instants are stored in UTC; statutory dates are
/// <see cref="DateOnly"/> values in the district's zone (America/New_York for Massachusetts).
/// </summary>
public sealed class DistrictTime(TimeProvider clock, IOptions<RecordsOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateTimeOffset Now => clock.GetUtcNow();

    public DateOnly Today => DateOf(Now);

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>The instant a district date begins (local midnight), in UTC.</summary>
    public DateTimeOffset StartOf(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    /// <summary>An instant as staff read it: district wall time with the zone named ("2026-12-04 14:05 EST").</summary>
    public string Display(DateTimeOffset instant) =>
        ToLocal(instant).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " " + ZoneName(instant);

    /// <summary>The engine's UTC <see cref="DateTime"/> values, displayed the same way.</summary>
    public string Display(DateTime utc) => Display(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    /// <summary>"EST" or "EDT" for Massachusetts; another zone by its standard or daylight name.</summary>
    public string ZoneName(DateTimeOffset instant)
    {
        var daylight = Zone.IsDaylightSavingTime(instant);
        return Zone.Id == "America/New_York" ? (daylight ? "EDT" : "EST") : (daylight ? Zone.DaylightName : Zone.StandardName);
    }
}
