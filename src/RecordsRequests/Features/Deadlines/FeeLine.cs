namespace RecordsRequests.Features.Deadlines;

public sealed record FeeLine(string Item, string Quantity, decimal Amount, string Basis);
