namespace RecordsRequests.Features.Audit;

/// <summary>An audited entity that is a request itself: its own key is the request its events are filed under.</summary>
public interface IAuditedRequest : IAudited;
