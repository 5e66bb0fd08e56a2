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
}
