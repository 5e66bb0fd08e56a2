using System.Globalization;

namespace RecordsRequests.Features.Deadlines;

/// <summary>The clocks a request carries. Stored per request (request_clocks) and shown with their explanations.</summary>
public enum ClockKind
{
    DeemedReceived,
    ResponseDue,
    PetitionDeadline,
    ProductionDue,
    ExtendedProductionDue,
    AgreedProductionDate,
    AppealWindowEnds,
}

/// <summary>A Supervisor of Records order granting the district more time (G.L. c.66 §10(c); 950 CMR 32.06(4)).</summary>
/// <param name="BusinessDays">Business days granted beyond the production limit.</param>
/// <param name="OrderedDate">The date the order names, when it names one; it wins over the count.</param>
public sealed record SupervisorExtension(int BusinessDays, DateOnly GrantedOn, DateOnly? OrderedDate, string? Reference);

/// <summary>
/// What officers record about a request that moves its clocks. Waiting for payment or clarification is deliberately
/// absent: it is a status and never moves the day-10 date (legal.md 1.4, Tolling; Unconfirmed point 3).
/// </summary>
public sealed record ClockInputs(DateOnly? WrittenResponseOn = null, SupervisorExtension? Extension = null, DateOnly? AgreedDate = null, string? AgreedNote = null)
{
    public static ClockInputs None { get; } = new();
}

/// <summary>The one switch for which of a request's clocks still bind: reminders follow these, the queue sorts by the earliest.</summary>
public static class BindingClocks
{
    /// <summary>
    /// Day 10 until a written response is recorded (G.L. c.66 §10(b); 950 CMR 32.06(2)(b)); the day-20 petition deadline
    /// while no Supervisor extension is recorded (G.L. c.66 §10(c); 950 CMR 32.06(4)); and the production date that
    /// governs after extensions and agreed dates (G.L. c.66 §10(b)-(c)). Never the deemed-received date (a fact, not a
    /// deadline) nor the appeal window (the requester's, 950 CMR 32.08(1)).
    /// </summary>
    public static bool StillBinds(ClockKind kind, bool governing, ClockInputs inputs) => kind switch
    {
        ClockKind.ResponseDue => inputs.WrittenResponseOn is null,
        ClockKind.PetitionDeadline => inputs.Extension is null,
        ClockKind.ProductionDue or ClockKind.ExtendedProductionDue or ClockKind.AgreedProductionDate => governing,
        ClockKind.DeemedReceived or ClockKind.AppealWindowEnds => false,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A new clock must say whether it binds."),
    };
}

/// <summary>One named clock of a request.</summary>
public sealed record Clock(ClockKind Kind, ComputedDate Due);

/// <summary>Every clock of one request, with the production date that governs after extensions and agreements.</summary>
public sealed record RequestClockSet(StatutoryClocks Statutory, IReadOnlyList<Clock> Clocks, ClockKind GoverningProduction)
{
    public ComputedDate this[ClockKind kind] => Clocks.Single(c => c.Kind == kind).Due;

    public ComputedDate? Find(ClockKind kind) => Clocks.FirstOrDefault(c => c.Kind == kind)?.Due;

    /// <summary>Whether the written response was late or, with none recorded, <paramref name="today"/> is past day 10.</summary>
    public bool ResponseWasLate(DateOnly? writtenResponseOn, DateOnly today) =>
        writtenResponseOn is { } sent ? sent > Statutory.ResponseDue.Date : today > Statutory.ResponseDue.Date;
}

public static class RequestClockCalculator
{
    /// <summary>Calendar days a requester has to appeal to the Supervisor of Records (950 CMR 32.08(1)(c)-(d)).</summary>
    public const int AppealWindowCalendarDays = 90;

    public static RequestClockSet Compute(StatutoryClocks statutory, ClockInputs inputs, BusinessCalendar calendar, CountingPolicy? policy = null)
    {
        policy ??= CountingPolicy.Default;
        var clocks = new List<Clock>
        {
            new(ClockKind.DeemedReceived, statutory.DeemedReceived),
            new(ClockKind.ResponseDue, statutory.ResponseDue),
        };
        if (statutory.Regime.MaxSupervisorExtensionDays > 0)
        {
            // Only a regime with a Supervisor extension has a petition deadline worth showing (603 CMR 23 has none).
            clocks.Add(new(ClockKind.PetitionDeadline, statutory.PetitionDeadline));
        }
        clocks.Add(new(ClockKind.ProductionDue, statutory.ProductionDue));

        var governing = ClockKind.ProductionDue;
        var governingDate = statutory.ProductionDue.Date;
        if (inputs.Extension is { } extension)
        {
            var extended = Extended(statutory, extension, calendar, policy);
            clocks.Add(new(ClockKind.ExtendedProductionDue, extended));
            if (extended.Date > governingDate)
            {
                (governing, governingDate) = (ClockKind.ExtendedProductionDue, extended.Date);
            }
        }
        if (inputs.AgreedDate is { } agreed)
        {
            // c.66 §10(b): the requester may voluntarily agree to a later date than the timeframe the law allows.
            var note = string.IsNullOrWhiteSpace(inputs.AgreedNote) ? "" : $" ({inputs.AgreedNote.Trim()})";
            clocks.Add(new(ClockKind.AgreedProductionDate, new ComputedDate(agreed, $"production date the requester agreed to{note} (G.L. c.66 §10(b))", [])));
            if (agreed > governingDate)
            {
                (governing, governingDate) = (ClockKind.AgreedProductionDate, agreed);
            }
        }
        clocks.Add(new(ClockKind.AppealWindowEnds, AppealWindow(statutory, inputs.WrittenResponseOn)));
        return new RequestClockSet(statutory, clocks, governing);
    }

    private static ComputedDate Extended(StatutoryClocks statutory, SupervisorExtension extension, BusinessCalendar calendar, CountingPolicy policy)
    {
        var reference = string.IsNullOrWhiteSpace(extension.Reference) ? "" : $" {extension.Reference.Trim()}";
        if (extension.OrderedDate is { } ordered)
        {
            // The order may set a date, including a longer one "depending on the circumstances" (c.66 §10(c)).
            return new ComputedDate(ordered, string.Create(CultureInfo.InvariantCulture,
                $"date set by the Supervisor of Records' order{reference} granted {extension.GrantedOn:yyyy-MM-dd} (G.L. c.66 §10(c); 950 CMR 32.06(4))"), []);
        }
        // Where the extension runs from is unconfirmed (legal.md Unconfirmed point 6); like legal.md section 6 we run
        // it on from the production limit, and an order that names a date overrides this.
        var skipped = new List<SkippedDay>();
        var date = calendar.AddBusinessDays(statutory.ProductionDue.Date, extension.BusinessDays, policy.ClosuresInsidePeriodAreSkipped, skipped);
        return new ComputedDate(date, string.Create(CultureInfo.InvariantCulture,
            $"{extension.BusinessDays} business days after the production limit ({statutory.ProductionDue.Date:yyyy-MM-dd}) — Supervisor of Records extension{reference} granted {extension.GrantedOn:yyyy-MM-dd} (G.L. c.66 §10(c); 950 CMR 32.06(4)); starting point assumed, see legal.md Unconfirmed point 6"),
            skipped);
    }

    private static ComputedDate AppealWindow(StatutoryClocks statutory, DateOnly? writtenResponseOn)
    {
        var responseDue = statutory.ResponseDue.Date;
        if (writtenResponseOn is { } sent && sent <= responseDue)
        {
            return new ComputedDate(sent.AddDays(AppealWindowCalendarDays), string.Create(CultureInfo.InvariantCulture,
                $"{AppealWindowCalendarDays} calendar days after the written response of {sent:yyyy-MM-dd} — last day for the requester to appeal to the Supervisor of Records (950 CMR 32.08(1)(c))"), []);
        }
        var why = writtenResponseOn is { } late
            ? string.Create(CultureInfo.InvariantCulture, $"the written response of {late:yyyy-MM-dd} came after day 10 ({responseDue:yyyy-MM-dd})")
            : string.Create(CultureInfo.InvariantCulture, $"no written response is recorded; a response by {responseDue:yyyy-MM-dd} would restart this from its date");
        return new ComputedDate(statutory.ReceivedOn.AddDays(AppealWindowCalendarDays), string.Create(CultureInfo.InvariantCulture,
            $"{AppealWindowCalendarDays} calendar days after the request of {statutory.ReceivedOn:yyyy-MM-dd}, because {why} — last day for the requester to appeal to the Supervisor of Records (950 CMR 32.08(1)(d))"), []);
    }
}
