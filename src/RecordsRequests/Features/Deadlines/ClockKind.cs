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
