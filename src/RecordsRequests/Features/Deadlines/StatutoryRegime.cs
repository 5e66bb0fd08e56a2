namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// The day counts one body of law sets. Regimes are data: a district picks its regime, and an admin can correct a
/// count that counsel reads differently, without a release.
/// </summary>
public sealed record StatutoryRegime(
    string Name,
    string Description,
    DayCount Unit,
    int ResponseDays,
    int PetitionDays,
    int ProductionDays,
    int MaxSupervisorExtensionDays,
    string Citation)
{
    /// <summary>
    /// A municipality, which includes a city or town school department and (believed) a regional school district
    /// (legal.md 1.1): written response by day 10 (c.66 §10(b); 950 CMR 32.06(2)(b)), petition by day 20
    /// (c.66 §10(c)), production at most 25 business days after receipt (c.66 §10(b)), Supervisor extension up to 30
    /// business days (950 CMR 32.06(4)).
    /// </summary>
    public static readonly StatutoryRegime Municipal = new("municipal", "Massachusetts municipality (G.L. c.66 §10)",
        DayCount.BusinessDays, 10, 20, 25, 30, "G.L. c.66 §10(b)-(c); 950 CMR 32.06(2), (4)");

    /// <summary>A state agency: production at most 15 business days, extension up to 20 (c.66 §10(b)-(c)).</summary>
    public static readonly StatutoryRegime Agency = new("agency", "Massachusetts agency (G.L. c.66 §10)",
        DayCount.BusinessDays, 10, 20, 15, 20, "G.L. c.66 §10(b)-(c); 950 CMR 32.06(2), (4)");

    /// <summary>
    /// A parent's or eligible student's access to their own student record: "as soon as practicable and within ten
    /// days" (603 CMR 23.07(2)). Read as calendar days, the stricter reading; an admin may change the unit.
    /// No petition or Supervisor extension applies, so those counts equal the access deadline.
    /// </summary>
    public static readonly StatutoryRegime StudentRecordAccess = new("student-record", "Student record access (603 CMR 23.07)",
        DayCount.CalendarDays, 10, 10, 10, 0, "603 CMR 23.07(2)");

    public static IReadOnlyList<StatutoryRegime> BuiltIn { get; } = [Municipal, Agency, StudentRecordAccess];
}
