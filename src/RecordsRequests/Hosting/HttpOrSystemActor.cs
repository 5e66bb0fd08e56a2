using System.Security.Claims;

namespace RecordsRequests.Hosting;

public sealed class HttpOrSystemActor(IHttpContextAccessor http) : ICurrentActor
{
    /// <summary>Set by background jobs and CLI commands before they change data.</summary>
    public string? SystemName { get; set; }

    public string Name
    {
        get
        {
            if (SystemName is not null)
            {
                return SystemName;
            }
            var user = http.HttpContext?.User;
            if (user?.Identity?.IsAuthenticated == true)
            {
                return user.FindFirstValue(ClaimTypes.Name) ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "staff";
            }
            return http.HttpContext is null ? "system" : "public";
        }
    }
}
