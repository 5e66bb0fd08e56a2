namespace RecordsRequests.Features.Deadlines;

public sealed record FeeInput(
    int PaperPages = 0,
    decimal StorageMediaCost = 0m,
    decimal SearchHours = 0m,
    decimal RedactionHours = 0m,
    RedactionBasis RedactionBasis = RedactionBasis.None,
    FeeWaiver? Waiver = null);
