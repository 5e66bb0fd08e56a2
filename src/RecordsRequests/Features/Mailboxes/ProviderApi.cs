using System.Net;
using System.Net.Http.Headers;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// Calls a provider's REST API with a bearer token: waits as told by 429/503 Retry-After (or backs off when none is
/// given), asks for a new token once when the provider says the token has expired or was revoked, and turns any other
/// failure into a <see cref="MailboxProblem"/> through <paramref name="explain"/>.
/// </summary>
public sealed class ProviderApi(HttpClient http, Func<bool, CancellationToken, Task<string>> token,
    Func<HttpStatusCode, string, MailboxProblem> explain, MailboxOptions options, TimeProvider clock)
{
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var refreshed = false;
        for (var attempt = 0; ; attempt++)
        {
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token(refreshed, cancellationToken));
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = response.StatusCode;
            var retryAfter = RetryAfter(response, attempt);
            response.Dispose();
            if (status == HttpStatusCode.Unauthorized && !refreshed)
            {
                refreshed = true;
                continue;
            }
            if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout && attempt < options.Retries)
            {
                if (retryAfter > options.LongestRetryWait)
                {
                    throw new MailboxProblem($"The provider asked us to wait {retryAfter.TotalSeconds:0} seconds before the next call (throttling); intake tries again later.",
                        "", null) { RetryAfter = retryAfter };
                }
                await Task.Delay(retryAfter, clock, cancellationToken);
                continue;
            }
            throw explain(status, body);
        }
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response, int attempt)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }
        if (response.Headers.RetryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        // No hint: exponential back-off from one second, as both providers' guides suggest.
        return TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt)));
    }
}
