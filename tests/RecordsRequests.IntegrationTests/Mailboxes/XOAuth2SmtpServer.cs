using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>
/// A small SMTP submission server on loopback that accepts only AUTH XOAUTH2, the way Exchange Online's and Gmail's
/// submission servers do for applications, and checks each bearer token as dovecot's oauth2 passdb does: by RFC 7662
/// introspection at the provider double, which must call the token active for the very user named in it. The
/// exchange follows https://developers.google.com/workspace/gmail/imap/xoauth2-protocol#smtp_protocol_exchange
/// (a refused token gets a 334 challenge carrying the error as base64 JSON, the client's empty reply, then 535) and
/// RFC 4954 (AUTH), RFC 5321 (the rest). The suite's SMTP library (SmtpServer) offers only PLAIN and LOGIN.
/// </summary>
public sealed class XOAuth2SmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _introspection;
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private XOAuth2SmtpServer(Uri introspection)
    {
        _introspection = introspection;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public static XOAuth2SmtpServer Start(Uri introspection) => new(introspection);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Each message accepted, with the user whose token sent it.</summary>
    public ConcurrentQueue<(string User, byte[] Message)> Received { get; } = new();

    public int RefusedTokens;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, false, 8192, leaveOpen: true);
        async Task Say(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        string? user = null;
        await Say("220 smtp.test.example ESMTP ready");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
            switch (verb)
            {
                case "EHLO":
                    await Say("250-smtp.test.example\r\n250-AUTH XOAUTH2\r\n250 8BITMIME");
                    break;
                case "HELO":
                    await Say("250 smtp.test.example");
                    break;
                case "AUTH":
                    var parts = argument.Split(' ', 2);
                    if (!parts[0].Equals("XOAUTH2", StringComparison.OrdinalIgnoreCase))
                    {
                        await Say("504 5.5.4 Unrecognized authentication type");
                        break;
                    }
                    var initial = parts.Length > 1 ? parts[1] : null;
                    if (initial is null)
                    {
                        await Say("334 ");
                        initial = await reader.ReadLineAsync() ?? "";
                    }
                    var (named, token) = Parse(initial);
                    if (named is not null && token is not null && await IsActiveForAsync(token, named))
                    {
                        user = named;
                        await Say("235 2.7.0 Accepted");
                        break;
                    }
                    Interlocked.Increment(ref RefusedTokens);
                    var error = new JsonObject { ["status"] = "401", ["schemes"] = "bearer", ["scope"] = "https://outlook.office365.com/.default" }.ToJsonString();
                    await Say("334 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(error)));
                    await reader.ReadLineAsync();
                    await Say("535 5.7.8 Username and Password not accepted");
                    break;
                case "MAIL":
                    await Say(user is null ? "530 5.7.0 Authentication required" : "250 2.1.0 OK");
                    break;
                case "RCPT":
                    await Say(user is null ? "530 5.7.0 Authentication required" : "250 2.1.5 OK");
                    break;
                case "DATA":
                    if (user is null)
                    {
                        await Say("530 5.7.0 Authentication required");
                        break;
                    }
                    await Say("354 Go ahead");
                    var message = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } data && data != ".")
                    {
                        // RFC 5321 §4.5.2: a line the client began with a dot has had one more put in front.
                        message.Append(data.StartsWith("..", StringComparison.Ordinal) ? data[1..] : data).Append("\r\n");
                    }
                    Received.Enqueue((user, Encoding.Latin1.GetBytes(message.ToString())));
                    await Say("250 2.0.0 OK queued");
                    break;
                case "RSET":
                case "NOOP":
                    await Say("250 2.0.0 OK");
                    break;
                case "QUIT":
                    await Say("221 2.0.0 Bye");
                    return;
                default:
                    await Say("502 5.5.1 Unrecognized command");
                    break;
            }
        }
    }

    /// <summary>The XOAUTH2 initial response: base64 of "user=" user ^A "auth=Bearer " token ^A ^A.</summary>
    private static (string? User, string? Token) Parse(string base64)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            return (null, null);
        }
        var fields = text.Split('\x01', StringSplitOptions.RemoveEmptyEntries);
        var user = fields.FirstOrDefault(f => f.StartsWith("user=", StringComparison.Ordinal))?[5..];
        var token = fields.FirstOrDefault(f => f.StartsWith("auth=Bearer ", StringComparison.Ordinal))?[12..];
        return (user, token);
    }

    private async Task<bool> IsActiveForAsync(string token, string user)
    {
        using var response = await _http.PostAsync(_introspection, new FormUrlEncodedContent([KeyValuePair.Create("token", token)]));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return answer?["active"]?.GetValue<bool>() == true && string.Equals(answer["username"]?.GetValue<string>(), user, StringComparison.OrdinalIgnoreCase);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (ObjectDisposedException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
