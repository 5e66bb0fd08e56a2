using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Api;
using RecordsRequests.Features.Status;
using RecordsRequests.IntegrationTests.Infrastructure;
using static RecordsRequests.IntegrationTests.Security.Expect;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>What a principal must get from a route.</summary>
public enum Expect
{
    /// <summary>200.</summary>
    Ok,
    /// <summary>302 to /account/sign-in (not signed in).</summary>
    SignIn,
    /// <summary>302 to /account/denied (signed in, wrong role).</summary>
    Denied,
    /// <summary>302 somewhere else (e.g. a GET on a POST-only page sends the browser back to the request).</summary>
    Redirect,
    /// <summary>401 (API without a valid token).</summary>
    Unauthorized,
    /// <summary>403.</summary>
    Forbidden,
    /// <summary>404, saying nothing about whether the thing exists.</summary>
    NotFound,
    /// <summary>
    /// A form post that passed authorization and anti-forgery, so its handler answered (2xx, 3xx other than sign-in or
    /// denied, 400 or 404 for the empty form the matrix posts), never with a server error.
    /// </summary>
    Handled,
}

/// <summary>
/// Every route the application exposes × every kind of visitor, with the status each must get. Routes are read from
/// the running app's endpoint data source (and each Razor Page's handlers), so a route missing from <see cref="Matrix"/>
/// fails the test: adding a page means deciding here who may use it.
/// </summary>
[Collection(Lanes.StaffPages)]
public sealed partial class RouteRoleMatrixTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>
    /// One line per route and method ("POST /path?handler=Name" for a named page handler). Columns: anonymous visitor,
    /// requester holding a secret link, RecordsOfficer, Counsel, Admin. Route parameters are filled with a real seeded
    /// request, record, release file and token (see <see cref="Fill"/>); the anonymous visitor guesses a token instead.
    /// POSTs carry a valid anti-forgery token and an empty form, on a scratch request (so a withdrawal does not change the rest).
    /// </summary>
    private static readonly Access[] Matrix =
    [
        //   route                                                  anonymous     link          officer       counsel  admin
        new("GET /",                                                Ok,           Ok,           Ok,           Ok,      Ok),
        new("GET /submit",                                          Ok,           Ok,           Ok,           Ok,      Ok),
        new("POST /submit",                                         Handled,      Handled,      Handled,      Handled, Handled),
        new("GET /error",                                           Ok,           Ok,           Ok,           Ok,      Ok),
        new("GET /problem/{code:int}",                              Ok,           Ok,           Ok,           Ok,      Ok),
        new("GET /healthz",                                         Ok,           Ok,           Ok,           Ok,      Ok),
        new("GET /account/sign-in",                                 Ok,           Ok,           Ok,           Ok,      Ok),
        new("POST /account/sign-in",                                Handled,      Handled,      Handled,      Handled, Handled),
        new("GET /account/denied",                                  Forbidden,    Forbidden,    Forbidden,    Forbidden, Forbidden),
        new("GET /account/sign-out",                                SignIn,       SignIn,       Redirect,     Redirect, Redirect),
        new("POST /account/sign-out",                               SignIn,       SignIn,       Handled,      Handled, Handled),
        new("GET /account/tokens",                                  SignIn,       SignIn,       Ok,           Ok,      Ok),
        new("POST /account/tokens?handler=Create",                  SignIn,       SignIn,       Handled,      Handled, Handled),
        new("POST /account/tokens?handler=Revoke",                  SignIn,       SignIn,       Handled,      Handled, Handled),
        // The code page needs the password step's cookie; a signed-in member is sent on to the dashboard.
        new("GET /account/two-factor",                              SignIn,       SignIn,       Redirect,     Redirect, Redirect),
        new("POST /account/two-factor",                             SignIn,       SignIn,       Handled,      Handled, Handled),
        new("GET /account/two-factor/setup",                        SignIn,       SignIn,       Ok,           Ok,      Ok),
        new("POST /account/two-factor/setup?handler=Enable",        SignIn,       SignIn,       Handled,      Handled, Handled),
        new("POST /account/two-factor/setup?handler=RecoveryCodes", SignIn,       SignIn,       Handled,      Handled, Handled),
        new("POST /account/two-factor/setup?handler=Disable",       SignIn,       SignIn,       Handled,      Handled, Handled),
        new("GET /account/forgot-password",                         Ok,           Ok,           Ok,           Ok,      Ok),
        new("POST /account/forgot-password",                        Handled,      Handled,      Handled,      Handled, Handled),
        // Without a valid reset token the page says the link is not valid; it never shows the form.
        new("GET /account/reset-password",                          Handled,      Handled,      Handled,      Handled, Handled),
        new("POST /account/reset-password",                         Handled,      Handled,      Handled,      Handled, Handled),
        // District single sign-on is not configured in tests: the handler answers without a challenge.
        new("POST /account/sign-in?handler=Oidc",                   Handled,      Handled,      Handled,      Handled, Handled),
        new("POST /dashboard?handler=Assign",                        SignIn,       SignIn,       Handled,      Denied,  Handled),
        // Counsel land on their own queue: the officers' queue sends them there.
        new("GET /dashboard",                                       SignIn,       SignIn,       Ok,           Redirect, Ok),
        new("GET /archive",                                         SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /archive",                                        SignIn,       SignIn,       Handled,      Denied,  Handled),
        // A message no one imported: officers and admins are let in and told there is none.
        new("GET /archive/items/{itemId:guid}",                     SignIn,       SignIn,       NotFound,     Denied,  NotFound),
        new("GET /intake/quarantine",                               SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /intake/quarantine?handler=Open",                 SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("POST /intake/quarantine?handler=ConfirmReply",         SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("POST /intake/quarantine?handler=Dismiss",              SignIn,       SignIn,       Handled,      Denied,  Handled),
        // The spam list, like the quarantine: officers' work (admins may act for them); counsel do not take in mail.
        new("GET /intake/spam",                                     SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /intake/spam?handler=Release",                    SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("GET /intake/upload",                                   SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /intake/upload",                                  SignIn,       SignIn,       Handled,      Denied,  Handled),
        // Counsel read the request they review (its words, dates, timeline); its actions stay the officers'.
        new("GET /requests/{trackingNumber}",                       SignIn,       SignIn,       Ok,           Ok,      Ok),
        new("POST /requests/{trackingNumber}?handler=Assign",       SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("GET /reports",                                         SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("GET /reports/{table}.csv",                             SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("GET /requests/{trackingNumber}/clocks",                SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /requests/{trackingNumber}/clocks?handler=Response", SignIn,    SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/clocks?handler=Extension", SignIn,   SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/clocks?handler=ClearExtension", SignIn, SignIn,    Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/clocks?handler=Agreement", SignIn,   SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/clocks?handler=Receipt", SignIn,     SignIn,       Handled,      Denied,  Handled),
        new("GET /requests/{trackingNumber}/decide",                SignIn,       SignIn,       Redirect,     Denied,  Redirect),
        new("POST /requests/{trackingNumber}/decide",               SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/decide?handler=Withdraw", SignIn,    SignIn,       Handled,      Denied,  Handled),
        new("GET /requests/{trackingNumber}/collect",               SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /requests/{trackingNumber}/collect",              SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/collect?handler=Resume", SignIn,     SignIn,       Handled,      Denied,  Handled),
        new("GET /requests/{trackingNumber}/write",                 SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /requests/{trackingNumber}/write",                SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("GET /requests/{trackingNumber}/records",               SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /requests/{trackingNumber}/records?handler=Upload", SignIn,     SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/records?handler=Judge", SignIn,      SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/records?handler=Detect", SignIn,     SignIn,       Handled,      Denied,  Handled),
        new("POST /requests/{trackingNumber}/records?handler=Send", SignIn,       SignIn,       Handled,      Denied,  Handled),
        new("GET /requests/{trackingNumber}/release",               SignIn,       SignIn,       Ok,           Denied,  Ok),
        new("POST /requests/{trackingNumber}/release",              SignIn,       SignIn,       Handled,      Denied,  Handled),
        // The officers' copy of the produced files of a release (never an original).
        new("GET /requests/{trackingNumber}/released/{fileId:guid}", SignIn,     SignIn,       Ok,           Denied,  Ok),
        new("GET /requests/{trackingNumber}/records/{recordId:guid}", SignIn,     SignIn,       Ok,           Denied,  Ok),
        new("POST /requests/{trackingNumber}/records/{recordId:guid}?handler=Decide", SignIn, SignIn, Handled, Denied,  Handled),
        new("POST /requests/{trackingNumber}/records/{recordId:guid}?handler=Add", SignIn, SignIn, Handled,  Denied,  Handled),
        new("POST /requests/{trackingNumber}/records/{recordId:guid}?handler=AddArea", SignIn, SignIn, Handled, Denied, Handled),
        // The unredacted page pictures the officers' and counsel's review pages show; never a requester's.
        new("GET /requests/{trackingNumber}/records/{recordId:guid}/pages/{page:int}", SignIn, SignIn, Ok,  Ok,      Ok),
        new("GET /counsel",                                         SignIn,       SignIn,       Denied,       Ok,      Denied),
        new("GET /counsel/{trackingNumber}",                        SignIn,       SignIn,       Denied,       Ok,      Denied),
        new("POST /counsel/{trackingNumber}?handler=Approve",       SignIn,       SignIn,       Denied,       Handled, Denied),
        new("POST /counsel/{trackingNumber}?handler=Return",        SignIn,       SignIn,       Denied,       Handled, Denied),
        new("POST /counsel/{trackingNumber}?handler=Change",        SignIn,       SignIn,       Denied,       Handled, Denied),
        new("POST /counsel/{trackingNumber}?handler=AddWords",      SignIn,       SignIn,       Denied,       Handled, Denied),
        new("POST /counsel/{trackingNumber}?handler=AddArea",       SignIn,       SignIn,       Denied,       Handled, Denied),
        new("POST /counsel/{trackingNumber}?handler=Remove",        SignIn,       SignIn,       Denied,       Handled, Denied),
        new("POST /counsel/{trackingNumber}?handler=Restore",       SignIn,       SignIn,       Denied,       Handled, Denied),
        new("GET /admin",                                           SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("GET /admin/users",                                     SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/users?handler=Roles",                      SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/users?handler=Disable",                    SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/users?handler=Enable",                     SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/users?handler=Unlock",                     SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/users?handler=Reset",                      SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/users?handler=ResetTwoFactor",             SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/roster",                                    SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/roster?handler=Preview",                   SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/roster?handler=Use",                       SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /archive/import",                                  SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /archive/import",                                 SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/users?handler=Create",                     SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/audit",                                     SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/audit",                                    SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/closures",                                  SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/closures?handler=Add",                     SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/closures?handler=Remove",                  SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/regimes",                                   SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/regimes",                                  SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/exemptions",                                SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("GET /admin/fees",                                      SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("GET /admin/letters",                                   SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/letters?handler=Preview",                  SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/letters?handler=Save",                     SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/mailbox",                                   SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("GET /admin/mailboxes",                                 SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/mailboxes?handler=Add",                    SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/mailboxes?handler=Test",                   SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/mailboxes?handler=Enable",                 SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/abuse",                                     SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("GET /admin/sessions",                                  SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/sessions",                                 SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /admin/workflows",                                 SignIn,       SignIn,       Denied,       Denied,  Ok),
        new("POST /admin/workflows?handler=Retry",                  SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("POST /admin/workflows?handler=Terminate",              SignIn,       SignIn,       Denied,       Denied,  Handled),
        new("GET /hangfire/{**path}",                               SignIn,       SignIn,       Denied,       Denied,  Ok),
        // The requester's secret link is the credential: whoever holds it sees the produced files, a guessed token sees nothing.
        new("GET /release/{token}",                                 NotFound,     Ok,           Ok,           Ok,      Ok),
        new("GET /release/{token}/files/{fileId:guid}",             NotFound,     Ok,           Ok,           Ok,      Ok),
        new("GET /release/{token}/all.zip",                         NotFound,     Ok,           Ok,           Ok,      Ok),
        new("GET /status/{token}",                                  NotFound,     Ok,           Ok,           Ok,      Ok),
        new("GET /status/{token}/files/{fileId:guid}",              NotFound,     Ok,           Ok,           Ok,      Ok),
        new("POST /status/{token}?handler=ConfirmAddress",          Handled,      Handled,      Handled,      Handled, Handled),
        // Only the link in the e-mail opens it; the matrix holds no such link, so every visitor gets a plain 404.
        new("GET /confirm-address/{token}",                         NotFound,     NotFound,     NotFound,     NotFound, NotFound),
        new("POST /confirm-address/{token}",                        Handled,      Handled,      Handled,      Handled, Handled),
        // The API takes bearer tokens only (staff columns use the member's own API token); counsel have no API.
        new("GET /api/v1/requests",                                 Unauthorized, Unauthorized, Ok,           Forbidden, Ok),
        new("GET /api/v1/requests/{trackingNumber}",                Unauthorized, Unauthorized, Ok,           Forbidden, Ok),
        new("GET /api/v1/requests/{trackingNumber}/messages",       Unauthorized, Unauthorized, Ok,           Forbidden, Ok),
        new("GET /api/v1/requests/{trackingNumber}/timeline",       Unauthorized, Unauthorized, Ok,           Forbidden, Ok),
        new("GET /api/v1/requests/{trackingNumber}/clocks",         Unauthorized, Unauthorized, Ok,           Forbidden, Ok),
        new("GET /api/v1/search",                                   Unauthorized, Unauthorized, Ok,           Forbidden, Ok),
        // The API description holds no data, only the shape of endpoints whose code is public; clients read it before they have a token.
        new("GET /api/openapi/{documentName}.json",                 Ok,           Ok,           Ok,           Ok,      Ok),
    ];

    public sealed record Access(string Route, Expect Anonymous, Expect LinkHolder, Expect Officer, Expect Counsel, Expect Admin)
    {
        public string Method => Route[..Route.IndexOf(' ', StringComparison.Ordinal)];
        public string Pattern => Route[(Route.IndexOf(' ', StringComparison.Ordinal) + 1)..];

        public Expect For(Principal principal) => principal switch
        {
            Principal.Anonymous => Anonymous,
            Principal.LinkHolder => LinkHolder,
            Principal.Officer => Officer,
            Principal.Counsel => Counsel,
            _ => Admin,
        };
    }

    public enum Principal { Anonymous, LinkHolder, Officer, Counsel, Admin }

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryRoute_IsInTheMatrix()
    {
        var exposed = await ExposedRoutesAsync();
        var listed = Matrix.Select(a => a.Route).ToHashSet(StringComparer.Ordinal);

        var missing = exposed.Where(r => !listed.Contains(r)).Order(StringComparer.Ordinal).ToList();
        var stale = listed.Where(r => !exposed.Contains(r)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0,
            "These routes are not in RouteRoleMatrixTests.Matrix. Add one line each with the status every principal must get " +
            "(and protect the route first if the answers are not what they should be):\n  " + string.Join("\n  ", missing));
        Assert.True(stale.Count == 0, "These matrix lines match no route any more; remove or correct them:\n  " + string.Join("\n  ", stale));
        Assert.Equal(Matrix.Length, listed.Count);
    }

    [Fact]
    public async Task EveryRoute_AnswersEachPrincipalAsTheMatrixSays()
    {
        var shown = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var scratch = await SecuritySeed.ReleasedAsync(_app, "Jose Hernandez");
        var cookies = Enum.GetValues<Principal>().ToDictionary(p => p, _ => new CookieContainer());
        var apiTokens = new Dictionary<Principal, string>();
        foreach (var (principal, role) in new[] { (Principal.Officer, Roles.RecordsOfficer), (Principal.Counsel, Roles.Counsel), (Principal.Admin, Roles.Admin) })
        {
            var email = await WebSession.CreateStaffAsync(_app, role);
            using var client = ClientWith(cookies[principal]);
            await WebSession.SignInAsync(client, email);
            apiTokens[principal] = await IssueApiTokenAsync(email);
        }

        var failures = new List<string>();
        // Signing out ends the session on the server, for every copy of its cookie, so that line runs last.
        foreach (var access in Matrix.OrderBy(a => a.Method == "POST").ThenBy(a => a.Route == "POST /account/sign-out"))
        {
            foreach (var principal in Enum.GetValues<Principal>())
            {
                var expected = access.For(principal);
                var path = Fill(access.Pattern, access.Method == "POST" ? scratch : shown, principal);
                // A post runs on a copy of the visitor's cookies, so a post that changes cookies leaves the next line's visitor unchanged.
                using var client = ClientWith(access.Method == "POST" ? Copy(cookies[principal]) : cookies[principal]);
                using var response = await SendAsync(client, access.Method, path,
                    path.StartsWith("/api/v1/", StringComparison.Ordinal) ? apiTokens.GetValueOrDefault(principal) : null);
                var actual = Describe(response);
                if (!Matches(expected, response))
                {
                    failures.Add($"{access.Route,-70} {principal,-10} expected {expected,-12} got {actual} ({path})");
                }
            }
        }
        Assert.True(failures.Count == 0, "Routes answered differently from the matrix:\n" + string.Join("\n", failures));
    }

    /// <summary>Route parameters filled with real seeded values; the anonymous visitor tries a well-formed token that was never issued.</summary>
    private static string Fill(string pattern, ReleasedRequest seed, Principal principal)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trackingNumber"] = seed.TrackingNumber,
            ["recordId"] = seed.RecordId.ToString(),
            // The release link and the status link are different secrets; a route takes the one its prefix names.
            ["token"] = principal == Principal.Anonymous ? "guessed-" + Guid.NewGuid().ToString("N")
                : pattern.StartsWith(StatusLinks.RoutePrefix, StringComparison.Ordinal) ? seed.StatusToken : seed.Token,
            ["table"] = "monthly",
            ["fileId"] = seed.FileIds[0].ToString(),
            ["documentName"] = "v1",
            ["path"] = "",
            ["page"] = "1",
            ["code"] = "404",
            ["itemId"] = Guid.NewGuid().ToString(),
        };
        var filled = RouteParameter().Replace(pattern, m => values.TryGetValue(m.Groups["name"].Value, out var value)
            ? Uri.EscapeDataString(value)
            : throw new InvalidOperationException($"No sample value for route parameter {m.Value} in {pattern}: add one to Fill."));
        filled = filled.Length > 1 ? filled.TrimEnd('/') : filled;
        // A search needs a query to answer 200; without one it is a 400 for everybody allowed in.
        return filled == "/api/v1/search" ? filled + "?q=incident" : filled;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? apiToken)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (apiToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        }
        if (method == "POST")
        {
            // A real form token for this visitor, from a page every visitor may open, and an empty form.
            var form = await client.GetStringAsync("/account/sign-in");
            var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        }
        return await client.SendAsync(request);
    }

    private static bool Matches(Expect expected, HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        var toSignIn = location.Contains("/account/sign-in", StringComparison.Ordinal);
        var toDenied = location.Contains("/account/denied", StringComparison.Ordinal);
        var status = (int)response.StatusCode;
        return expected switch
        {
            Ok => status == 200,
            SignIn => status == 302 && toSignIn,
            Denied => status == 302 && toDenied,
            Redirect => status == 302 && !toSignIn && !toDenied,
            Unauthorized => status == 401,
            Forbidden => status == 403,
            NotFound => status == 404,
            Handled => status is (>= 200 and < 300) or 400 or 404 || (status == 302 && !toSignIn && !toDenied),
            _ => false,
        };
    }

    private static string Describe(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? $"{(int)response.StatusCode} → {location.OriginalString}" : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"METHOD /pattern" for every endpoint, and "POST /pattern?handler=Name" for each Razor Page handler.</summary>
    private async Task<HashSet<string>> ExposedRoutesAsync()
    {
        var routes = new HashSet<string>(StringComparer.Ordinal);
        var loader = _app.Services.GetRequiredService<PageLoader>();
        foreach (var endpoint in _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                routes.Add($"GET {pattern}");
                foreach (var handler in compiled.HandlerMethods.Where(h => !string.Equals(h.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase)))
                {
                    routes.Add($"{handler.HttpMethod.ToUpperInvariant()} {pattern}{(handler.Name is null ? "" : "?handler=" + handler.Name)}");
                }
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                routes.Add($"{method} {pattern}");
            }
        }
        return routes;
    }

    /// <summary>Like <see cref="TestApp.CreateClient"/>, on a cookie jar the test keeps.</summary>
    private HttpClient ClientWith(CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = _app.Address };

    private static CookieContainer Copy(CookieContainer cookies)
    {
        var copy = new CookieContainer();
        copy.Add(cookies.GetAllCookies());
        return copy;
    }

    private async Task<string> IssueApiTokenAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email);
        var (token, secret) = ApiToken.Issue(user!.Id, "matrix", DateTimeOffset.UtcNow);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Add(token);
        await db.SaveChangesAsync();
        return secret;
    }

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z]+)(:[^}]+)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
