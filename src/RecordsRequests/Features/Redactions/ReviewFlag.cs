namespace RecordsRequests.Features.Redactions;

/// <summary>
/// A passage that suggests the document is (or contains) an education record, such as "IEP" or "suspension".
/// It is not redacted by itself; it asks a person to look at the surrounding text (34 CFR 99.3 "linkable" PII).
/// </summary>
public sealed record ReviewFlag(int Start, int End, string Term);
