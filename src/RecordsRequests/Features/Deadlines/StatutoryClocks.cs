using System.Globalization;

namespace RecordsRequests.Features.Deadlines;

/// <summary>The clocks of one request.</summary>
public sealed record StatutoryClocks(
    DateOnly ReceivedOn,
    ComputedDate DeemedReceived,
    ComputedDate ResponseDue,
    ComputedDate PetitionDeadline,
    ComputedDate ProductionDue,
    StatutoryRegime Regime);
