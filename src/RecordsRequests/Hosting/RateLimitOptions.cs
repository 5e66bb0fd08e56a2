namespace RecordsRequests.Hosting;

/// <summary>
/// Limits at the public doors, per client address and overall (section <c>RateLimits</c>). The defaults suit one
/// district: far above what its requesters and staff do, far below a flood.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    public RateLimit PublicFormPerClient { get; set; } = RateLimit.Of(5, TimeSpan.FromMinutes(10));
    public RateLimit PublicFormOverall { get; set; } = RateLimit.Of(100, TimeSpan.FromHours(1));
    public RateLimit SignInPerClient { get; set; } = RateLimit.Of(30, TimeSpan.FromMinutes(5));
    public RateLimit SignInOverall { get; set; } = RateLimit.Of(600, TimeSpan.FromMinutes(5));
    public RateLimit PasswordResetPerClient { get; set; } = RateLimit.Of(5, TimeSpan.FromMinutes(15));
    public RateLimit PasswordResetOverall { get; set; } = RateLimit.Of(100, TimeSpan.FromHours(1));
    public RateLimit SmtpPerClient { get; set; } = RateLimit.Of(30, TimeSpan.FromMinutes(10));
    public RateLimit SmtpOverall { get; set; } = RateLimit.Of(1000, TimeSpan.FromHours(1));
}
