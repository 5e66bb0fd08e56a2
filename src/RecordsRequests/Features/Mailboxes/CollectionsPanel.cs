namespace RecordsRequests.Features.Mailboxes;

/// <summary>What the collections table shows: the request's collections, and whether the reader may resume one.</summary>
public sealed record CollectionsPanel(string TrackingNumber, IReadOnlyList<CollectModel.CollectionRow> Rows, bool CanResume);
