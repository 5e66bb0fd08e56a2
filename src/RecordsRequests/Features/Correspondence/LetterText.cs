namespace RecordsRequests.Features.Correspondence;

/// <summary>A template's words: a subject and a body with <c>{{field}}</c> fields filled from the request.</summary>
public sealed record LetterText(string Subject, string Body);
