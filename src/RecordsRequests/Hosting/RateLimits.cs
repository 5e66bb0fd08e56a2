using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace RecordsRequests.Hosting;

/// <summary>
/// The web doors' limits with ASP.NET Core's rate limiter. Only POSTs count (reading the form is free). Over a limit
/// the answer is 429 with Retry-After and a sentence a person can act on; nothing is created or sent, and the refusal
/// is recorded for admins. The SMTP listener applies the SMTP limits itself (<see cref="SmtpLimiter"/>).
/// </summary>
public static class RateLimits
{
    private static readonly Dictionary<string, AbuseChannel> Doors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/submit"] = AbuseChannel.PublicForm,
        ["/account/sign-in"] = AbuseChannel.SignIn,
        ["/account/forgot-password"] = AbuseChannel.PasswordReset,
    };

    /// <summary>The limits' settings, the abuse log and the SMTP limiter, which the web host and the worker share.</summary>
    public static IServiceCollection AddAbuseLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AbuseLog>();
        services.AddSingleton<SmtpLimiter>();
        return services;
    }

    public static IServiceCollection AddRecordsRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client and overall, chained: either one refuses.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => DoorOf(context) is { } door
                    ? RateLimitPartition.GetFixedWindowLimiter($"{door}|{ClientOf(context)}", _ => PerClient(limits, door).ToOptions())
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => DoorOf(context) is { } door
                    ? RateLimitPartition.GetFixedWindowLimiter(door.ToString(), _ => Overall(limits, door).ToOptions())
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (DoorOf(context) is { } door)
        {
            await context.RequestServices.GetRequiredService<AbuseLog>().RecordAsync(door, "throttled", ClientOf(context));
        }
        var minutes = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes));
        await context.Response.WriteAsync(
            $"Too many attempts in a short time. Nothing was sent or saved. Please try again in {minutes} minute{(minutes == 1 ? "" : "s")}.",
            cancellationToken);
    }

    private static AbuseChannel? DoorOf(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && Doors.TryGetValue(context.Request.Path.Value?.TrimEnd('/') ?? "", out var door) ? door : null;

    /// <summary>The client's address, as the configured proxy reports it (forwarded headers run first).</summary>
    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimit PerClient(RateLimitOptions limits, AbuseChannel door) => door switch
    {
        AbuseChannel.PublicForm => limits.PublicFormPerClient,
        AbuseChannel.SignIn => limits.SignInPerClient,
        AbuseChannel.PasswordReset => limits.PasswordResetPerClient,
        _ => limits.SmtpPerClient,
    };

    private static RateLimit Overall(RateLimitOptions limits, AbuseChannel door) => door switch
    {
        AbuseChannel.PublicForm => limits.PublicFormOverall,
        AbuseChannel.SignIn => limits.SignInOverall,
        AbuseChannel.PasswordReset => limits.PasswordResetOverall,
        _ => limits.SmtpOverall,
    };
}
