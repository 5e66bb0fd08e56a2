
namespace RecordsRequests.Hosting;

/// <summary>Who is acting, for the audit trail: the signed-in user on the web, or a named system process.</summary>
public interface ICurrentActor
{
    string Name { get; }
}
