using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// A real DNS server on a loopback UDP port answering TXT queries from a table (SPF policies, DKIM keys), so sender
/// authentication is tested against DNS as it runs in production, not against a fake key lookup.
/// </summary>
public sealed class LoopbackDns : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _txt = new(StringComparer.OrdinalIgnoreCase);
    private readonly DnsServer _server;

    public LoopbackDns()
    {
        Port = FreeUdpPort();
        // TCP too: a 2048-bit DKIM key does not fit a plain UDP answer, and resolvers retry such truncated answers over TCP.
        var endpoint = new IPEndPoint(IPAddress.Loopback, Port);
        _server = new DnsServer([new UdpServerTransport(endpoint, 2000), new TcpServerTransport(endpoint, 2000, 2000)]);
        _server.QueryReceived += AnswerAsync;
        _server.Start();
    }

    public int Port { get; }

    /// <summary>The setting that points the application at this server.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public void SetTxt(string name, string text) => _txt[name.TrimEnd('.')] = text;

    private Task AnswerAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            return Task.CompletedTask;
        }
        var response = query.CreateResponseInstance();
        response.ReturnCode = ReturnCode.NoError;
        foreach (var question in query.Questions)
        {
            var name = question.Name.ToString().TrimEnd('.');
            if (!_txt.TryGetValue(name, out var text))
            {
                response.ReturnCode = ReturnCode.NxDomain;
                continue;
            }
            if (question.RecordType == RecordType.Txt)
            {
                // A TXT string holds at most 255 bytes; a DKIM key is split across several, as zone files do.
                response.AnswerRecords.Add(new TxtRecord(question.Name, 60, text.Chunk(250).Select(c => new string(c))));
            }
        }
        e.Response = response;
        return Task.CompletedTask;
    }

    /// <summary>A port free for both UDP and TCP on loopback.</summary>
    private static int FreeUdpPort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            try
            {
                var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                tcp.Stop();
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }

    public void Dispose() => _server.Stop();
}
