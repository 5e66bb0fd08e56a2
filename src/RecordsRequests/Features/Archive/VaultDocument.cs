namespace RecordsRequests.Features.Archive;

/// <summary>One message as a Google Vault export's metadata file describes it.</summary>
/// <param name="DocumentId">Vault's id of the exported document (its DocID).</param>
/// <param name="Account">The Workspace account that owned the message: the custodian (null when the file does not say).</param>
/// <param name="Labels">Its Gmail labels as Vault recorded them (system labels keep Vault's "^" prefix, e.g. ^INBOX); none when the file has no Labels tag.</param>
/// <param name="ExternalFile">The name Vault gave the message in the export (the ExternalFile's FileName), which is also
/// the first word after "From " on the message's separator line in the mbox: the link between the two files.</param>
public sealed record VaultDocument(string DocumentId, string? MessageId, string? Account, IReadOnlyList<string> Labels, string? GmailMessageId,
    string? ExternalFile = null);
