namespace RecordsRequests.Features.Audit;

/// <summary>
/// Marks an entity whose every insert, update and delete is written to the audit trail. Its events are filed under the
/// request named by its <c>RequestId</c> property, if it has one.
/// </summary>
public interface IAudited;

/// <summary>An audited entity that is a request itself: its own key is the request its events are filed under.</summary>
public interface IAuditedRequest : IAudited;
