namespace RecordsRequests.Features.Deadlines;

/// <summary>The dates the law sets from one request's receipt (deemed receipt, written response, petition, production), as <see cref="StatutoryDateCalculator"/> computes them.</summary>
public sealed record StatutoryDates(
    DateOnly ReceivedOn,
    ComputedDate DeemedReceived,
    ComputedDate ResponseDue,
    ComputedDate PetitionDeadline,
    ComputedDate ProductionDue,
    StatutoryRegime Regime);
