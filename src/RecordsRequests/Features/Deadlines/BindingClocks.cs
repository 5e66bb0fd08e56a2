namespace RecordsRequests.Features.Deadlines;

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
