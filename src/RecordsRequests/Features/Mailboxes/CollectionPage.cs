namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// One page of a provider's answer: the provider's ids of its messages, where the next page starts (null: this was the
/// last), and the provider's estimate of how many messages match in all (null: it gives none).
/// </summary>
public sealed record CollectionPage(IReadOnlyList<string> Ids, string? Next, long? Estimate);
