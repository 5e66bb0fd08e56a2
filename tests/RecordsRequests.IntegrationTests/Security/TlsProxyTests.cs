using System.Net;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>
/// Served behind a district's TLS proxy: what the proxy says about HTTPS is believed only from the configured proxy,
/// and then browsers are told to keep to HTTPS (HSTS) and cookies never travel over plain HTTP (Secure).
/// </summary>
[Collection(Lanes.OwnHosts)]
public sealed class TlsProxyTests(TestDatabase database) : IAsyncLifetime
{
    private const string PublicHost = "records.district.example";
    private TestApp _behindProxy = null!;
    private TestApp _withoutProxy = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _behindProxy = await TestApp.StartAsync(database, new Dictionary<string, string?>
        {
            ["Hosting:TrustedProxies:0"] = "127.0.0.1",
            ["Records:PublicBaseUrl"] = $"https://{PublicHost}",
        });
        _withoutProxy = await TestApp.StartAsync(database, new Dictionary<string, string?>
        {
            ["Records:PublicBaseUrl"] = $"https://{PublicHost}",
        });
    }

    public async Task DisposeAsync()
    {
        await _behindProxy.DisposeAsync();
        await _withoutProxy.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> SignInPageAsync(TestApp app, string? forwardedProto)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/sign-in");
        request.Headers.Host = PublicHost;
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return await client.SendAsync(request);
    }

    private static List<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    [Fact]
    public async Task OverHttpsFromTheTrustedProxy_HstsIsSentAndEveryCookieIsSecure()
    {
        var response = await SignInPageAsync(_behindProxy, "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"), "no HSTS header over HTTPS");
        var cookies = Cookies(response);
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task OverPlainHttp_OrWhenAnUntrustedClientClaimsHttps_NoHstsIsSent()
    {
        var plain = await SignInPageAsync(_behindProxy, null);
        var claimed = await SignInPageAsync(_withoutProxy, "https");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        // A client that is not the configured proxy cannot make the app believe the connection was HTTPS.
        Assert.False(claimed.Headers.Contains("Strict-Transport-Security"));
        Assert.All(Cookies(claimed), c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }
}
