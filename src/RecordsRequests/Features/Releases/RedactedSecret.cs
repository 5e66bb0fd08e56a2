namespace RecordsRequests.Features.Releases;

/// <summary>A string that was redacted and must not appear in any produced file.</summary>
/// <param name="Label">How a hit is reported (for example "StudentName in record 3"); never the secret itself.</param>
public sealed record RedactedSecret(string Text, string Label);
