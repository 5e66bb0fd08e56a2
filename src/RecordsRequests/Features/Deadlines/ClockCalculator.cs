using System.Globalization;

namespace RecordsRequests.Features.Deadlines;

public static class ClockCalculator
{
    /// <summary>Calendar days a requester has to appeal to the Supervisor of Records (950 CMR 32.08(1)(c)-(d)).</summary>
    public const int AppealWindowCalendarDays = 90;

    public static ComputedClocks Compute(StatutoryDates statutory, ClockInputs inputs, BusinessCalendar calendar, CountingPolicy? policy = null)
    {
        policy ??= CountingPolicy.Default;
        var clocks = new List<ComputedClock>
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
        return new ComputedClocks(statutory, clocks, governing);
    }

    private static ComputedDate Extended(StatutoryDates statutory, SupervisorExtension extension, BusinessCalendar calendar, CountingPolicy policy)
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

    private static ComputedDate AppealWindow(StatutoryDates statutory, DateOnly? writtenResponseOn)
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
