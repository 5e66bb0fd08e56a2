using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>
/// A local HTTPS server speaking the parts of Microsoft's and Google's documented HTTP APIs that mailbox connections
/// use: Entra ID's client-credentials token endpoint, Google's service-account (JWT bearer) token endpoint, Microsoft
/// Graph's mail folder, delta, $value, PATCH and sendMail, and the Gmail API's profile, messages.list, messages.get
/// (format=raw), history.list, labels, messages.modify and messages.send. Response bodies follow the examples of the
/// vendors' reference pages cited at each endpoint. Its certificate comes from a test certificate authority that the
/// application is told to trust (Mailboxes:ExtraTrustedAuthoritiesFile), as a district's own authority would be.
/// It can throttle (429 with Retry-After), expire the tokens it issued, and run its clock off the caller's.
/// </summary>
public sealed class ProviderDouble : IAsyncDisposable
{
    public const string Tenant = "3f1a7c52-90e8-4bd1-8a57-4c8e1c1d2f10";
    public const string ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e";
    public const string ClientSecret = "qWgdYAmab0YSkuL1qKv5bPX~test-secret";
    public const string ServiceAccount = "records-intake@records-district.iam.gserviceaccount.com";

    private readonly WebApplication _app;
    private readonly RSA _googleKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new();
    private readonly ConcurrentDictionary<string, (List<string> Ids, long Upto)> _deltaRounds = new();
    private int _apiCalls;

    private ProviderDouble(WebApplication app, string authorityPemFile)
    {
        _app = app;
        AuthorityPemFile = authorityPemFile;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>RFC 7662 token introspection over plain HTTP, for dovecot's oauth2 passdb.</summary>
    public Uri IntrospectionAddress { get; private set; } = null!;

    /// <summary>The mailbox Exchange lets the app's IMAP tokens open (Add-MailboxPermission … FullAccess); null: none.</summary>
    public string? ImapMailboxOfApp { get; set; }

    /// <summary>The test certificate authority's certificate, as a PEM file the application is configured to trust.</summary>
    public string AuthorityPemFile { get; }

    public ConcurrentDictionary<string, FakeMailbox> Mailboxes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Mailboxes the Microsoft app's application access policy lets it reach.</summary>
    public HashSet<string> AccessPolicy { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Scopes the service account's domain-wide delegation allows.</summary>
    public HashSet<string> DelegatedScopes { get; } = ["https://www.googleapis.com/auth/gmail.modify", "https://mail.google.com/"];

    /// <summary>Every Nth mail API call is answered 429 with Retry-After: 1 (0: never).</summary>
    public int ThrottleEvery { get; set; }

    /// <summary>A token is refused as expired after this many uses (0: never).</summary>
    public int TokenUses { get; set; }

    /// <summary>How far the server's clock is ahead of the caller's (clock skew).</summary>
    public TimeSpan ClockOffset { get; set; }

    public int TokensIssued;
    public int Throttled;
    public int ExpiredRefusals;

    public string ServiceAccountKeyJson => new JsonObject
    {
        // The layout of a key downloaded from the console (https://cloud.google.com/iam/docs/keys-create-delete#creating).
        ["type"] = "service_account",
        ["project_id"] = "records-district",
        ["private_key_id"] = "8b2a0f9c1d7e4b3a9c6d5e4f3a2b1c0d9e8f7a6b",
        ["private_key"] = _googleKey.ExportPkcs8PrivateKeyPem() + "\n",
        ["client_email"] = ServiceAccount,
        ["client_id"] = "113958279624532176482",
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = new Uri(Address, "google/token").ToString(),
        ["auth_provider_x509_cert_url"] = "https://www.googleapis.com/oauth2/v1/certs",
    }.ToJsonString();

    public Dictionary<string, string?> Settings(string? setupGuideUrl = null) => new()
    {
        ["Mailboxes:MicrosoftAuthorityHost"] = Address.ToString(),
        ["Mailboxes:GraphBaseUrl"] = new Uri(Address, "v1.0/").ToString(),
        ["Mailboxes:GmailBaseUrl"] = new Uri(Address, "gmail/v1/").ToString(),
        ["Mailboxes:ExtraTrustedAuthoritiesFile"] = AuthorityPemFile,
        ["Mailboxes:SetupGuideUrl"] = setupGuideUrl,
    };

    public FakeMailbox Mailbox(string address) => Mailboxes.GetOrAdd(address, a => new FakeMailbox(a));

    public static async Task<ProviderDouble> StartAsync()
    {
        var (authority, serverCertificate) = TestAuthority.Create();
        var pem = Path.Combine(Path.GetTempPath(), $"records-test-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, authority.ExportCertificatePem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate));
            // Plain HTTP for dovecot's token introspection only (the mail server's side, not the application's).
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var double_ = new ProviderDouble(app, pem);
        double_.Map(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        double_.Address = new Uri(addresses.First(a => a.StartsWith("https:", StringComparison.Ordinal)).TrimEnd('/') + "/");
        double_.IntrospectionAddress = new Uri(addresses.First(a => a.StartsWith("http:", StringComparison.Ordinal)).TrimEnd('/') + "/introspect");
        return double_;
    }

    /// <summary>Exceptions the double itself threw (a test asserts there were none: a 500 from the double is a bug in it).</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>Every request served, with its answer's status, for a failing test to show.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How long every answer takes (a slow tenant, so that a page can be seen while a collection runs).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The next this many mail API calls are answered 429 with Retry-After: 1.</summary>
    public int ThrottleNext;

    private void Map(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            try
            {
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay);
                }
                await next(http);
                Requests.Enqueue($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString} -> {http.Response.StatusCode}");
            }
            catch (Exception e)
            {
                Failures.Enqueue($"{http.Request.Method} {http.Request.Path}: {e}");
                throw;
            }
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", MicrosoftTokenAsync);
        app.MapPost("/google/token", (Func<HttpContext, Task<IResult>>)GoogleTokenAsync);
        app.MapPost("/introspect", async (HttpContext http) =>
        {
            // RFC 7662 §2.2: {"active": false} for a token that is unknown, expired or not for this resource.
            var form = await http.Request.ReadFormAsync();
            var token = form["token"].ToString();
            return _tokens.TryGetValue(token, out var issued) && !issued.Expired && issued.Audience == "https://outlook.office365.com" && ImapMailboxOfApp is { } mailbox
                ? Json(new JsonObject { ["active"] = true, ["username"] = mailbox, ["client_id"] = ClientId })
                : Json(new JsonObject { ["active"] = false });
        });

        app.MapGet("/v1.0/users/{user}/mailFolders/{folder}", (string user, string folder, HttpContext http) => Graph(http, user, box => Json(new JsonObject
        {
            // https://learn.microsoft.com/graph/api/mailfolder-get#response-1
            ["id"] = "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAA=",
            ["displayName"] = "Inbox",
            ["parentFolderId"] = "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKBjgx9rVEURAQAiIsqMbYjsT5e-T7KzowPTAAAAAAEIAAA=",
            ["childFolderCount"] = 0,
            ["unreadItemCount"] = box.Messages.Count(m => !m.IsRead),
            ["totalItemCount"] = box.Messages.Count,
            ["isHidden"] = false,
        })));
        app.MapGet("/v1.0/users/{user}/mailFolders/{folder}/messages/delta", (string user, HttpContext http) => Graph(http, user, box => GraphDelta(http, user, box)));
        app.MapGet("/v1.0/users/{user}/messages", (string user, HttpContext http) => Graph(http, user, box => GraphList(http, user, box)));
        app.MapGet("/v1.0/users/{user}/messages/{id}/$value", (string user, string id, HttpContext http) => Graph(http, user, box =>
            box.Find(id) is { } message ? Results.Bytes(message.Raw, "text/plain") : GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")));
        app.MapMethods("/v1.0/users/{user}/messages/{id}", ["PATCH"], (string user, string id, HttpContext http) => Graph(http, user, box =>
        {
            // https://learn.microsoft.com/graph/api/message-update: the changed message is returned.
            var message = box.Find(id);
            if (message is null)
            {
                return GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }
            var body = JsonNode.Parse(ReadBody(http))!;
            lock (box)
            {
                if (body["isRead"] is { } read)
                {
                    message.IsRead = read.GetValue<bool>();
                }
                if (body["categories"] is JsonArray categories)
                {
                    message.Labels = [.. categories.Select(c => c!.GetValue<string>())];
                }
                message.Change = ++box.Sequence;
            }
            return Json(GraphItem(message));
        }));
        app.MapPost("/v1.0/users/{user}/sendMail", (string user, HttpContext http) => Graph(http, user, box =>
        {
            // https://learn.microsoft.com/graph/api/user-sendmail (MIME: base64 in a text/plain body); 202 Accepted, no body.
            box.Sent.Add(Convert.FromBase64String(ReadBody(http)));
            return Results.StatusCode(202);
        }));

        app.MapGet("/gmail/v1/users/{user}/profile", (string user, HttpContext http) => Gmail(http, user, box => Json(new JsonObject
        {
            // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/getProfile
            ["emailAddress"] = box.Address,
            ["messagesTotal"] = box.Messages.Count,
            ["threadsTotal"] = box.Messages.Count,
            ["historyId"] = box.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })));
        app.MapGet("/gmail/v1/users/{user}/messages", (string user, HttpContext http) => Gmail(http, user, box => GmailList(http, box)));
        app.MapGet("/gmail/v1/users/{user}/messages/{id}", (string user, string id, HttpContext http) => Gmail(http, user, box =>
            box.Find(id) is { } message ? Json(GmailMessage(message, raw: true)) : GmailError(404, "notFound", "Requested entity was not found.", "NOT_FOUND")));
        app.MapGet("/gmail/v1/users/{user}/history", (string user, HttpContext http) => Gmail(http, user, box => GmailHistory(http, box)));
        app.MapGet("/gmail/v1/users/{user}/labels", (string user, HttpContext http) => Gmail(http, user, box => Json(new JsonObject
        {
            // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/list
            ["labels"] = new JsonArray([.. new[] { "INBOX", "SPAM", "UNREAD", "SENT" }.Select(l => new JsonObject { ["id"] = l, ["name"] = l, ["type"] = "system" })
                .Concat(box.UserLabels.Select(l => new JsonObject { ["id"] = l.Key, ["name"] = l.Value, ["type"] = "user" }))]),
        })));
        app.MapPost("/gmail/v1/users/{user}/labels", (string user, HttpContext http) => Gmail(http, user, box =>
        {
            var name = JsonNode.Parse(ReadBody(http))!["name"]!.GetValue<string>();
            var id = $"Label_{box.UserLabels.Count + 1}";
            box.UserLabels[id] = name;
            return Json(new JsonObject { ["id"] = id, ["name"] = name, ["type"] = "user", ["messageListVisibility"] = "show", ["labelListVisibility"] = "labelShow" });
        }));
        app.MapPost("/gmail/v1/users/{user}/messages/{id}/modify", (string user, string id, HttpContext http) => Gmail(http, user, box =>
        {
            // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/modify
            var message = box.Find(id);
            if (message is null)
            {
                return GmailError(404, "notFound", "Requested entity was not found.", "NOT_FOUND");
            }
            var body = JsonNode.Parse(ReadBody(http))!;
            lock (box)
            {
                foreach (var add in body["addLabelIds"]?.AsArray() ?? [])
                {
                    message.Labels.Add(add!.GetValue<string>());
                }
                foreach (var remove in body["removeLabelIds"]?.AsArray() ?? [])
                {
                    message.Labels.Remove(remove!.GetValue<string>());
                }
                message.IsRead = !message.Labels.Contains("UNREAD");
                message.Change = ++box.Sequence;
            }
            return Json(GmailMessage(message, raw: false));
        }));
        app.MapPost("/gmail/v1/users/{user}/messages/send", (string user, HttpContext http) => Gmail(http, user, box =>
        {
            // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send
            var raw = JsonNode.Parse(ReadBody(http))!["raw"]!.GetValue<string>().Replace('-', '+').Replace('_', '/');
            box.Sent.Add(Convert.FromBase64String(raw.PadRight(raw.Length + ((4 - (raw.Length % 4)) % 4), '=')));
            return Json(new JsonObject { ["id"] = $"sent{box.Sent.Count}", ["threadId"] = $"sent{box.Sent.Count}", ["labelIds"] = new JsonArray("SENT") });
        }));
        app.MapFallback((HttpContext http) => Results.Text($"The provider double does not serve {http.Request.Method} {http.Request.Path}{http.Request.QueryString}", statusCode: 404));
    }

    // ---- tokens ----

    private async Task<IResult> MicrosoftTokenAsync(string tenant, HttpContext http)
    {
        // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#successful-response and #error-response
        var form = await http.Request.ReadFormAsync();
        if (tenant != Tenant)
        {
            return EntraError(400, "invalid_request", 90002, $"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
        }
        if (form["client_id"] != ClientId)
        {
            return EntraError(400, "unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{form["client_id"]}' was not found in the directory '{tenant}'.");
        }
        var assertion = form["client_assertion"].ToString();
        if (assertion.Length > 0)
        {
            var payload = JwtPayload(assertion);
            var now = DateTimeOffset.UtcNow + ClockOffset;
            // MSAL writes these claims as strings, others as numbers.
            var notBefore = long.Parse((payload["nbf"] ?? payload["iat"])?.ToString() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var expires = long.Parse(payload["exp"]?.ToString() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            if (DateTimeOffset.FromUnixTimeSeconds(notBefore) > now.AddMinutes(5) || DateTimeOffset.FromUnixTimeSeconds(expires) < now)
            {
                return EntraError(401, "invalid_client", 700024, "AADSTS700024: Client assertion is not within its valid time range.");
            }
        }
        else if (form["client_secret"] != ClientSecret)
        {
            return EntraError(401, "invalid_client", 7000215, $"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{ClientId}'.");
        }
        var scope = form["scope"].ToString();
        return Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = Issue(scope.Replace("/.default", "", StringComparison.Ordinal), null) });
    }

    private async Task<IResult> GoogleTokenAsync(HttpContext http)
    {
        // https://developers.google.com/identity/protocols/oauth2/service-account#httprest and #error-codes
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return GoogleTokenError(400, "unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]);
        }
        var assertion = form["assertion"].ToString();
        var parts = assertion.Split('.');
        if (parts.Length != 3 || !_googleKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return GoogleTokenError(400, "invalid_grant", "Invalid JWT Signature.");
        }
        var payload = JwtPayload(assertion);
        var now = DateTimeOffset.UtcNow + ClockOffset;
        var issued = DateTimeOffset.FromUnixTimeSeconds(payload["iat"]!.GetValue<long>());
        if ((issued - now).Duration() > TimeSpan.FromMinutes(5))
        {
            return GoogleTokenError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        var user = payload["sub"]?.GetValue<string>();
        if (user is null || !Mailboxes.ContainsKey(user))
        {
            return GoogleTokenError(400, "invalid_grant", "Invalid email or User ID");
        }
        var scopes = (payload["scope"]?.GetValue<string>() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0 || !scopes.All(DelegatedScopes.Contains))
        {
            return GoogleTokenError(401, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.");
        }
        return Json(new JsonObject { ["access_token"] = Issue("gmail", user), ["expires_in"] = 3599, ["token_type"] = "Bearer" });
    }

    private string Issue(string audience, string? user)
    {
        var token = "ya29." + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = new IssuedToken(audience, user);
        Interlocked.Increment(ref TokensIssued);
        return token;
    }

    /// <summary>Expires every token issued so far (as an hour passing would).</summary>
    public void ExpireAllTokens()
    {
        foreach (var token in _tokens.Values)
        {
            token.Expired = true;
        }
    }

    private IResult? Refuse(HttpContext http, string audience, string user, bool gmail)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
        if (!_tokens.TryGetValue(token, out var issued) || issued.Audience != audience || (issued.User is not null && !issued.User.Equals(user, StringComparison.OrdinalIgnoreCase)))
        {
            return gmail ? GmailError(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "UNAUTHENTICATED")
                : GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
        }
        if (TokenUses > 0 && Interlocked.Increment(ref issued.Uses) > TokenUses)
        {
            issued.Expired = true;
        }
        if (issued.Expired)
        {
            Interlocked.Increment(ref ExpiredRefusals);
            return gmail ? GmailError(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "UNAUTHENTICATED")
                : GraphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
        }
        if (Interlocked.Decrement(ref ThrottleNext) >= 0 || (ThrottleEvery > 0 && Interlocked.Increment(ref _apiCalls) % ThrottleEvery == 0))
        {
            Interlocked.Increment(ref Throttled);
            http.Response.Headers.RetryAfter = "1";
            // https://learn.microsoft.com/graph/throttling#sample-response ; https://developers.google.com/workspace/gmail/api/guides/handle-errors#resolve_a_429_error_too_many_requests
            return gmail ? GmailError(429, "rateLimitExceeded", "Too many concurrent requests for user.", "RESOURCE_EXHAUSTED")
                : GraphError(429, "TooManyRequests", "Please retry again later.");
        }
        return null;
    }

    // ---- Graph ----

    private IResult Graph(HttpContext http, string user, Func<FakeMailbox, IResult> handle)
    {
        if (Refuse(http, "https://graph.microsoft.com", user, gmail: false) is { } refusal)
        {
            return refusal;
        }
        if (!AccessPolicy.Contains(user))
        {
            // What an application access policy answers for a mailbox outside it
            // (https://learn.microsoft.com/graph/auth-limit-mailbox-access).
            return GraphError(403, "ErrorAccessDenied", "Access to OData is disabled: Blocked by tenant configured AppOnly AccessPolicy settings.");
        }
        if (!Mailboxes.TryGetValue(user, out var box))
        {
            return GraphError(404, "ErrorInvalidUser", $"The requested user '{user}' is invalid.");
        }
        return handle(box);
    }

    private IResult GraphDelta(HttpContext http, string user, FakeMailbox box)
    {
        // https://learn.microsoft.com/graph/api/message-delta : pages linked by @odata.nextLink, the last with @odata.deltaLink.
        const int pageSize = 3; // A server may return fewer than odata.maxpagesize asks; small pages make the client page.
        var query = http.Request.Query;
        // A round's membership is fixed when it starts (the skip token names it): changes made while paging show in the next round.
        string round;
        int offset;
        if (query["$skiptoken"].ToString() is { Length: > 0 } skip)
        {
            var parts = skip.Split('.');
            (round, offset) = (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            var from = query["$deltatoken"].ToString() is { Length: > 0 } delta ? long.Parse(delta, System.Globalization.CultureInfo.InvariantCulture) : 0;
            round = Guid.NewGuid().ToString("N");
            lock (box)
            {
                _deltaRounds[round] = (box.Messages.Where(m => m.Change > from).OrderBy(m => m.Change).Select(m => m.Id).ToList(), box.Sequence);
            }
            offset = 0;
        }
        var (members, upto) = _deltaRounds[round];
        var changed = members.Select(box.Find).OfType<FakeMessage>().ToList();
        var page = changed.Skip(offset).Take(pageSize).ToList();
        var link = $"{Address}v1.0/users/{Uri.EscapeDataString(user)}/mailFolders/inbox/messages/delta";
        var response = new JsonObject
        {
            ["@odata.context"] = $"{Address}v1.0/$metadata#Collection(message)",
            ["value"] = new JsonArray([.. page.Select(GraphItem)]),
        };
        if (offset + pageSize < changed.Count)
        {
            response["@odata.nextLink"] = $"{link}?$skiptoken={round}.{offset + pageSize}";
        }
        else
        {
            response["@odata.deltaLink"] = $"{link}?$deltatoken={upto}";
        }
        return Json(response);
    }

    private IResult GraphList(HttpContext http, string user, FakeMailbox box)
    {
        // https://learn.microsoft.com/graph/api/user-list-messages : every folder's messages, $filter on receivedDateTime,
        // $select, $top, @odata.count with $count=true, further pages by @odata.nextLink (with $skip).
        // https://learn.microsoft.com/graph/search-query-parameter#using-search-on-message-collections : $search takes KQL
        // over from, subject and body (received>= and received<= for dates), returns at most 1,000 messages, and is not
        // combined with $filter (https://learn.microsoft.com/answers/questions/1184920).
        const int pageSize = 3; // Fewer than $top asks, as a server may send: the client must follow the next links.
        var query = http.Request.Query;
        var filter = query["$filter"].ToString();
        var search = query["$search"].ToString();
        if (filter.Length > 0 && search.Length > 0)
        {
            return GraphError(400, "ErrorInvalidUrlQuery", "The query parameter '$filter' is invalid with '$search'.");
        }
        List<FakeMessage> all;
        lock (box)
        {
            all = [.. box.Messages];
        }
        IEnumerable<FakeMessage> matching = all;
        if (filter.Length > 0)
        {
            var range = System.Text.RegularExpressions.Regex.Match(filter, @"^receivedDateTime ge (\S+) and receivedDateTime lt (\S+)$");
            if (!range.Success)
            {
                return GraphError(400, "ErrorInvalidUrlQuery", $"The double reads only a receivedDateTime range, not: {filter}");
            }
            var (from, before) = (DateTimeOffset.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(range.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            matching = matching.Where(m => m.Received >= from && m.Received < before);
        }
        if (search.Length > 0)
        {
            if (search.Length < 2 || search[0] != '"' || search[^1] != '"')
            {
                return GraphError(400, "BadRequest", "Syntax error: the $search value must be enclosed in double quotes.");
            }
            var kql = search[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            var parts = System.Text.RegularExpressions.Regex.Match(kql, @"^\((.*)\) AND received>=(\d{4}-\d{2}-\d{2}) AND received<=(\d{4}-\d{2}-\d{2})$");
            if (!parts.Success)
            {
                return GraphError(400, "BadRequest", $"The double reads only \"(terms) AND received>=day AND received<=day\", not: {kql}");
            }
            var (first, last) = (DateOnly.Parse(parts.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                DateOnly.Parse(parts.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
            var terms = parts.Groups[1].Value;
            matching = matching.Where(m => DateOnly.FromDateTime(m.Received.UtcDateTime) >= first && DateOnly.FromDateTime(m.Received.UtcDateTime) <= last && m.Matches(terms))
                .Take(1000);
        }
        var results = matching.OrderByDescending(m => m.Received).ThenByDescending(m => m.Added).ToList();
        var skip = int.TryParse(query["$skip"], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0;
        var response = new JsonObject
        {
            ["@odata.context"] = $"{Address}v1.0/$metadata#users('{user}')/messages(id,receivedDateTime)",
        };
        if (query["$count"] == "true" && search.Length == 0)
        {
            response["@odata.count"] = results.Count;
        }
        response["value"] = new JsonArray([.. results.Skip(skip).Take(pageSize).Select(m => new JsonObject
        {
            ["@odata.etag"] = $"W/\"CQAAABYAAAARn2vdzPFKQpWHEk2wKsS3AAA{m.Change}\"",
            ["id"] = m.Id,
            ["receivedDateTime"] = m.Received.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        })]);
        if (skip + pageSize < results.Count)
        {
            var next = new Dictionary<string, string?>(query.Where(q => q.Key != "$skip").Select(q => KeyValuePair.Create(q.Key, (string?)q.Value.ToString())))
            {
                ["$skip"] = (skip + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            response["@odata.nextLink"] = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"{Address}v1.0/users/{Uri.EscapeDataString(user)}/messages", next);
        }
        return Json(response);
    }

    private static JsonObject GraphItem(FakeMessage message) => new()
    {
        ["@odata.type"] = "#microsoft.graph.message",
        ["@odata.etag"] = $"W/\"CQAAABYAAAARn2vdzPFKQpWHEk2wKsS3AAA{message.Change}\"",
        ["id"] = message.Id,
        ["receivedDateTime"] = message.Received.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["isRead"] = message.IsRead,
        ["categories"] = new JsonArray([.. message.Labels.Select(c => JsonValue.Create(c))]),
    };

    private static IResult GraphError(int status, string code, string message) =>
        // https://learn.microsoft.com/graph/errors#error-resource-type
        Results.Json(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["date"] = "2026-12-05T09:00:00", ["request-id"] = Guid.NewGuid().ToString(), ["client-request-id"] = Guid.NewGuid().ToString() },
            },
        }, statusCode: status);

    private static IResult EntraError(int status, string error, int code, string description) => Results.Json(new JsonObject
    {
        ["error"] = error,
        ["error_description"] = description + $"\r\nTrace ID: {Guid.NewGuid()}\r\nCorrelation ID: {Guid.NewGuid()}\r\nTimestamp: 2026-12-05 09:00:00Z",
        ["error_codes"] = new JsonArray(code),
        ["timestamp"] = "2026-12-05 09:00:00Z",
        ["trace_id"] = Guid.NewGuid().ToString(),
        ["correlation_id"] = Guid.NewGuid().ToString(),
    }, statusCode: status);

    // ---- Gmail ----

    private IResult Gmail(HttpContext http, string user, Func<FakeMailbox, IResult> handle)
    {
        if (Refuse(http, "gmail", user, gmail: true) is { } refusal)
        {
            return refusal;
        }
        return Mailboxes.TryGetValue(user, out var box) ? handle(box) : GmailError(400, "failedPrecondition", "Mail service not enabled", "FAILED_PRECONDITION");
    }

    private static IResult GmailList(HttpContext http, FakeMailbox box)
    {
        // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list : newest first, nextPageToken while more remain.
        const int pageSize = 3;
        var label = http.Request.Query["labelIds"].ToString();
        // The page token is a cursor (the last message returned), so mail arriving while a client pages does not shift its place.
        var before = long.TryParse(http.Request.Query["pageToken"], System.Globalization.CultureInfo.InvariantCulture, out var cursor) ? cursor : long.MaxValue;
        // q is a Gmail search (https://support.google.com/mail/answer/7190): after:/before: in seconds since the epoch
        // (https://developers.google.com/workspace/gmail/api/guides/filtering), the rest words to find. Spam and trash
        // are left out unless includeSpamTrash=true.
        var search = ParseGmailSearch(http.Request.Query["q"].ToString());
        var spamAndTrash = http.Request.Query["includeSpamTrash"] == "true";
        List<FakeMessage> all;
        lock (box)
        {
            all = box.Messages.Where(m => m.Added < before && (label.Length == 0 || m.Labels.Contains(label))
                    && (spamAndTrash || !(m.Labels.Contains("SPAM") || m.Labels.Contains("TRASH")))
                    && (search.After is not { } after || m.Received >= after) && (search.Before is not { } until || m.Received < until)
                    && m.Matches(search.Terms))
                .OrderByDescending(m => m.Added).ToList();
        }
        var page = all.Take(pageSize).ToList();
        var response = new JsonObject
        {
            ["messages"] = new JsonArray([.. page.Select(m => new JsonObject { ["id"] = m.Id, ["threadId"] = m.Id })]),
            ["resultSizeEstimate"] = all.Count,
        };
        if (all.Count > pageSize)
        {
            response["nextPageToken"] = page[^1].Added.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Json(response);
    }

    private static (DateTimeOffset? After, DateTimeOffset? Before, string Terms) ParseGmailSearch(string q)
    {
        DateTimeOffset? after = null, before = null;
        var terms = new List<string>();
        foreach (var word in q.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("after:", StringComparison.Ordinal) && long.TryParse(word[6..], System.Globalization.CultureInfo.InvariantCulture, out var a))
            {
                after = DateTimeOffset.FromUnixTimeSeconds(a);
            }
            else if (word.StartsWith("before:", StringComparison.Ordinal) && long.TryParse(word[7..], System.Globalization.CultureInfo.InvariantCulture, out var b))
            {
                before = DateTimeOffset.FromUnixTimeSeconds(b);
            }
            else
            {
                terms.Add(word);
            }
        }
        return (after, before, string.Join(' ', terms));
    }

    private static IResult GmailHistory(HttpContext http, FakeMailbox box)
    {
        // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list : records after startHistoryId; 404 when it is too old.
        const int pageSize = 2;
        var start = long.Parse(http.Request.Query["startHistoryId"]!, System.Globalization.CultureInfo.InvariantCulture);
        if (start < box.OldestHistory)
        {
            return GmailError(404, "notFound", "Requested entity was not found.", "NOT_FOUND");
        }
        var label = http.Request.Query["labelId"].ToString();
        var offset = int.TryParse(http.Request.Query["pageToken"], System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0;
        List<FakeMessage> added;
        long current;
        lock (box)
        {
            added = box.Messages.Where(m => m.Added > start && (label.Length == 0 || m.Labels.Contains(label))).OrderBy(m => m.Added).ToList();
            current = box.Sequence;
        }
        var response = new JsonObject
        {
            ["history"] = new JsonArray([.. added.Skip(offset).Take(pageSize).Select(m => new JsonObject
            {
                ["id"] = m.Added.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["messages"] = new JsonArray(new JsonObject { ["id"] = m.Id, ["threadId"] = m.Id }),
                ["messagesAdded"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["id"] = m.Id, ["threadId"] = m.Id, ["labelIds"] = new JsonArray([.. m.Labels.Select(l => JsonValue.Create(l))]) } }),
            })]),
            ["historyId"] = current.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (offset + pageSize < added.Count)
        {
            response["nextPageToken"] = (offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Json(response);
    }

    private static JsonObject GmailMessage(FakeMessage message, bool raw)
    {
        var resource = new JsonObject
        {
            ["id"] = message.Id,
            ["threadId"] = message.Id,
            ["labelIds"] = new JsonArray([.. message.Labels.Select(l => JsonValue.Create(l))]),
            ["snippet"] = "",
            ["historyId"] = message.Change.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["internalDate"] = message.Received.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["sizeEstimate"] = message.Raw.Length,
        };
        if (raw)
        {
            resource["raw"] = Convert.ToBase64String(message.Raw).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
        return resource;
    }

    private static IResult GmailError(int status, string reason, string message, string statusText) =>
        // https://developers.google.com/workspace/gmail/api/guides/handle-errors
        Results.Json(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = "global", ["reason"] = reason }),
                ["status"] = statusText,
            },
        }, statusCode: status);

    private static IResult GoogleTokenError(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    // ---- helpers ----

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json; charset=utf-8");

    private static string ReadBody(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        return reader.ReadToEndAsync().GetAwaiter().GetResult();
    }

    private static JsonNode JwtPayload(string jwt) => JsonNode.Parse(Base64Url(jwt.Split('.')[1]))!;

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _googleKey.Dispose();
        File.Delete(AuthorityPemFile);
    }

    private sealed class IssuedToken(string audience, string? user)
    {
        public string Audience { get; } = audience;
        public string? User { get; } = user;
        public int Uses;
        public bool Expired { get; set; }
    }
}

/// <summary>One mailbox on the double: its messages in arrival order, what was sent from it, and its change counter.</summary>
public sealed class FakeMailbox(string address)
{
    public string Address { get; } = address;
    public List<FakeMessage> Messages { get; } = [];
    public ConcurrentBag<byte[]> Sent { get; } = [];
    public Dictionary<string, string> UserLabels { get; } = [];

    /// <summary>Graph's change counter and Gmail's history id, in one.</summary>
    public long Sequence { get; set; } = 1000;

    /// <summary>Gmail answers 404 to history older than this.</summary>
    public long OldestHistory { get; set; }

    public FakeMessage Deliver(byte[] raw, params string[] labels) => Deliver(raw, new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero), labels);

    public FakeMessage Deliver(byte[] raw, DateTimeOffset received, params string[] labels)
    {
        lock (this)
        {
            var sequence = ++Sequence;
            var message = new FakeMessage($"AAMkAD{sequence:x}{Guid.NewGuid():N}"[..24], raw) { Added = sequence, Change = sequence, Labels = [.. labels], Received = received };
            Messages.Add(message);
            return message;
        }
    }

    public FakeMessage? Find(string id)
    {
        lock (this)
        {
            return Messages.FirstOrDefault(m => m.Id == id);
        }
    }
}

public sealed class FakeMessage(string id, byte[] raw)
{
    public string Id { get; } = id;
    public byte[] Raw { get; } = raw;
    public long Added { get; init; }

    /// <summary>When the mailbox received it (Graph's receivedDateTime, Gmail's internalDate).</summary>
    public DateTimeOffset Received { get; init; } = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Whether every word of a search (quotes and the operators AND, OR dropped) is in its sender, subject or text, as
    /// both providers' searches match words by default; an empty search matches everything.
    /// </summary>
    public bool Matches(string terms)
    {
        var words = terms.Replace("\"", " ", StringComparison.Ordinal).Replace("(", " ", StringComparison.Ordinal).Replace(")", " ", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w is not ("AND" or "OR")).ToList();
        if (words.Count == 0)
        {
            return true;
        }
        var message = MimeKit.MimeMessage.Load(new MemoryStream(Raw));
        var text = $"{message.From} {message.Subject} {message.TextBody}";
        return words.All(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
    }
    public long Change { get; set; }
    public bool IsRead { get; set; }

    /// <summary>Outlook categories (Graph) or Gmail label ids.</summary>
    public HashSet<string> Labels { get; set; } = [];
}

/// <summary>A throwaway certificate authority and a server certificate it issued for 127.0.0.1 and localhost.</summary>
internal static class TestAuthority
{
    public static (X509Certificate2 Authority, X509Certificate2 Server) Create()
    {
        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=RecordsRequests test authority", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var authority = authorityRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var issued = serverRequest.Create(authority, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        // Through PKCS#12 so the key outlives this method on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return (authority, server);
    }
}
