namespace RecordsRequests.Features.Redactions;

/// <summary>What adding did, in words, and the redaction to show on the page when the review page returns.</summary>
public sealed record AddResult(string Message, Redaction? Added = null);
