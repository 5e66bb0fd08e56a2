namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// What an officer asked to collect from one custodian's mailbox: mail received from <see cref="ReceivedFrom"/> up to
/// (not including) <see cref="ReceivedBefore"/>, matching <see cref="Terms"/> in the provider's own search (every
/// message in the range when there are none).
/// </summary>
public sealed record CollectionQuery(string Custodian, DateTimeOffset ReceivedFrom, DateTimeOffset ReceivedBefore, string Terms);
