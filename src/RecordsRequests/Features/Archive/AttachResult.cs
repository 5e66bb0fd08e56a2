namespace RecordsRequests.Features.Archive;

public sealed record AttachResult(string TrackingNumber, int Attached, int AlreadyAttached, Guid SavedSearchId);
