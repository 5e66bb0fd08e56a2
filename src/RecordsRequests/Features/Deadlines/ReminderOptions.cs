using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Deadlines;

public sealed class ReminderOptions
{
    public const string SectionName = "Reminders";

    /// <summary>
    /// The designated records access officer (G.L. c.66 §6A), who receives every reminder besides the assigned
    /// officer. Empty: every user with the Admin role does.
    /// </summary>
    [EmailAddress]
    public string? RecordsAccessOfficerEmail { get; set; }

    /// <summary>Business days before a due date for the first and the last warning.</summary>
    [Range(1, 20)]
    public int FirstWarningBusinessDays { get; set; } = 3;

    [Range(1, 20)]
    public int LastWarningBusinessDays { get; set; } = 1;

    /// <summary>Cron schedule of the sweep, in the district's time zone (Records:TimeZone).</summary>
    [Required]
    public string Schedule { get; set; } = "0 7 * * *";
}
