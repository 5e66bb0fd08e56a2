using RecordsRequests.Features.Documents;

namespace RecordsRequests.Features.Releases;

/// <summary>A box to burn into a released page, with the exemption code it shows and the redaction it belongs to.</summary>
public sealed record BurnBox(Guid RedactionId, PageBox Box, string ExemptionCode);
