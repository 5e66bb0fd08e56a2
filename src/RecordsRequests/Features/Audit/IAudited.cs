namespace RecordsRequests.Features.Audit;

/// <summary>
/// Marks an entity whose every insert, update and delete is written to the audit trail. Its events are filed under the
/// request named by its <c>RequestId</c> property, if it has one.
/// </summary>
public interface IAudited;
