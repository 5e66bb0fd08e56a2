using System.Globalization;
using System.Text.Json;
using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Tests.Deadlines;

/// <summary>
/// Our Massachusetts calendar against an independent implementation, the npm package date-holidays 3.37.0, for every
/// weekday of 2021–2035. Its answers are the committed golden file date-holidays-MA-2021-2035.json, written by
/// tests/tools/date-holidays/regenerate, so this test needs neither Node.js nor the npm registry.
/// </summary>
public class CalendarCrossCheckTests
{
    private const int FirstYear = 2021;
    private const int LastYear = 2035;

    private sealed record TheirHoliday(string Date, string Name, string Type, bool Substitute);

    /// <summary>
    /// legal.md 5.1: date-holidays omits the Monday after a Sunday Veterans Day (it lists it only as a "bank" day);
    /// clause Eighteenth's Sunday rule makes those Mondays legal holidays. These are the only differences.
    /// </summary>
    private static readonly DateOnly[] KnownDifferences = [new(2029, 11, 12), new(2035, 11, 12)];

    [Fact]
    public void EveryWeekday2021To2035_AgreesWithDateHolidays_ExceptTheListedVeteransDayMondays()
    {
        var theirs = TheirMassachusettsBusinessDayHolidays();
        var calendar = new BusinessCalendar();
        var differences = new List<DateOnly>();
        for (var day = new DateOnly(FirstYear, 1, 1); day <= new DateOnly(LastYear, 12, 31); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }
            if (!calendar.IsBusinessDay(day) != theirs.Contains(day))
            {
                differences.Add(day);
            }
        }
        Assert.Equal(KnownDifferences, differences);
        foreach (var monday in KnownDifferences)
        {
            Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);
            Assert.Contains(MassachusettsHolidays.For(monday.Year), h => h.Date == monday && h.Name.StartsWith("Veterans", StringComparison.Ordinal));
        }
        // The comparison is not vacuous: 2021–2035 has well over a hundred weekday holidays.
        Assert.True(theirs.Count > 150, $"date-holidays gave only {theirs.Count} weekday holidays");
    }

    /// <summary>
    /// date-holidays' public holidays, minus what is not a Massachusetts statewide legal holiday: the Suffolk-only days
    /// (March 17, June 17) and the federal-style Friday substitute for a Saturday holiday (legal.md 5.1).
    /// </summary>
    private static HashSet<DateOnly> TheirMassachusettsBusinessDayHolidays()
    {
        var all = JsonSerializer.Deserialize<List<TheirHoliday>>(GoldenFile(), JsonSerializerOptions.Web)!;
        return all
            .Where(h => h.Type == "public")
            .Where(h => h.Name is not ("Evacuation Day" or "Bunker Hill Day"))
            .Select(h => (Holiday: h, Date: DateOnly.ParseExact(h.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .Where(h => !(h.Holiday.Substitute && h.Date.DayOfWeek == DayOfWeek.Friday))
            .Where(h => h.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(h => h.Date)
            .ToHashSet();
    }

    private static string GoldenFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "RecordsRequests.Tests", "Deadlines", "date-holidays-MA-2021-2035.json");
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }
        throw new InvalidOperationException("date-holidays-MA-2021-2035.json not found above " + AppContext.BaseDirectory);
    }
}
