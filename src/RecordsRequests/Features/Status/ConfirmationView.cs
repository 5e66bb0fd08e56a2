namespace RecordsRequests.Features.Status;

/// <summary>What a confirmation link opens: the request and address it is for, and whether it was already used.</summary>
public sealed record ConfirmationView(string TrackingNumber, string Email, bool Confirmed);
