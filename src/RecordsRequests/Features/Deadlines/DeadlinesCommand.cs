using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// <c>ops/records deadlines</c>: the statutory dates for receipt instants, with the district's closures and regime
/// settings from the database. With <c>--received -</c> it reads one instant per line and writes one JSON object per line.
/// </summary>
internal sealed partial class DeadlinesCommand(NpgsqlDataSource dataSource, DistrictTime time, IOptions<DeadlineOptions> options) : ICliCommand
{
    public static string Name => "deadlines";
    public static string Summary => "statutory dates (deemed receipt, day 10, day 20, production) for receipt instants";
    public static string Usage => """
        ops/records deadlines --received <instant> [--regime <name>] [--json [--explain]]
          --received   ISO-8601 instant with its offset, e.g. 2026-04-11T10:00:00-04:00 or 2026-04-11T14:00:00Z;
                       "-" reads one instant per line from standard input
          --regime     municipal (default: Deadlines:Regime), agency or student-record, as edited at /admin/regimes
          --json       one JSON object per instant: received, deemedReceived, responseDue, petitionDeadline,
                       productionDue (yyyy-MM-dd, Massachusetts time), regime
          --explain    add each date's explanation (the rule and every day skipped) to the JSON
        """;

    private readonly Dictionary<(DateOnly ReceivedOn, bool AfterCutoff), StatutoryDates> _computed = [];

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        return await RunAsync(arguments, Console.In, stdout, Console.Error, cancellationToken);
    }

    internal async Task<int> RunAsync(IReadOnlyList<string> arguments, TextReader input, Stream output, TextWriter errors, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string> { "json", "explain" });
        args.RejectUnknown("received", "regime", "json", "explain");
        var received = args.Value("received") ?? throw new UsageException("--received is required.");
        var rules = await DeadlineRules.LoadAsync(dataSource, options.Value, cancellationToken);
        StatutoryRegime regime;
        try
        {
            regime = args.Value("regime") is { } name ? rules.Regime(name) : rules.PublicRecordsRegime;
        }
        catch (DomainException e)
        {
            throw new UsageException(e.Message);
        }
        var json = args.Has("json");
        var explain = args.Has("explain");

        await using var buffered = new BufferedStream(output, 1 << 16);
        // Relaxed escaping keeps "§" and apostrophes readable; this output goes to a terminal or a pipe, never into HTML.
        await using var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var failures = 0;
        if (received == "-")
        {
            var line = 0;
            while (await input.ReadLineAsync(cancellationToken) is { } text)
            {
                line++;
                if (text.Trim().Length == 0)
                {
                    continue;
                }
                if (!Write(text.Trim(), rules, regime, json, explain, writer, buffered))
                {
                    failures++;
                    await errors.WriteLineAsync($"line {line}: '{text.Trim()}' is not an ISO-8601 instant with an offset.");
                }
            }
        }
        else if (!Write(received, rules, regime, json, explain, writer, buffered))
        {
            throw new UsageException($"'{received}' is not an ISO-8601 instant with an offset (e.g. 2026-04-11T10:00:00-04:00).");
        }
        await writer.FlushAsync(cancellationToken);
        await buffered.FlushAsync(cancellationToken);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Parses an instant that carries its offset; a bare local time is refused rather than guessed.</summary>
    internal static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out instant);
    }

    private bool Write(string text, DeadlineRules rules, StatutoryRegime regime, bool json, bool explain, Utf8JsonWriter writer, Stream output)
    {
        if (!TryParseInstant(text, out var instant))
        {
            return false;
        }
        // The dates depend only on the Massachusetts date of receipt and which side of the after-hours cutoff it fell,
        // so a batch computes each such day once.
        var local = TimeZoneInfo.ConvertTime(instant, time.Zone).DateTime;
        var key = (DateOnly.FromDateTime(local), rules.Policy.AfterHoursCutoff is { } cutoff && TimeOnly.FromDateTime(local) >= cutoff);
        if (!_computed.TryGetValue(key, out var clocks))
        {
            clocks = rules.Statutory(instant, time.Zone, regime);
            _computed[key] = clocks;
        }
        if (json)
        {
            writer.Reset(output);
            writer.WriteStartObject();
            writer.WriteString("received", text);
            writer.WriteString("receivedOn", Iso(clocks.ReceivedOn));
            writer.WriteString("deemedReceived", Iso(clocks.DeemedReceived.Date));
            writer.WriteString("responseDue", Iso(clocks.ResponseDue.Date));
            writer.WriteString("petitionDeadline", Iso(clocks.PetitionDeadline.Date));
            writer.WriteString("productionDue", Iso(clocks.ProductionDue.Date));
            writer.WriteString("regime", regime.Name);
            if (explain)
            {
                writer.WriteStartObject("explanations");
                writer.WriteString("deemedReceived", clocks.DeemedReceived.Explain());
                writer.WriteString("responseDue", clocks.ResponseDue.Explain());
                writer.WriteString("petitionDeadline", clocks.PetitionDeadline.Explain());
                writer.WriteString("productionDue", clocks.ProductionDue.Explain());
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.Flush();
            output.WriteByte((byte)'\n');
        }
        else
        {
            writer.Flush();
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{text}  received {Iso(clocks.ReceivedOn)}  deemed {Iso(clocks.DeemedReceived.Date)}  day {regime.ResponseDays} {Iso(clocks.ResponseDue.Date)}  petition {Iso(clocks.PetitionDeadline.Date)}  production {Iso(clocks.ProductionDue.Date)}\n");
            output.Write(System.Text.Encoding.UTF8.GetBytes(line));
        }
        return true;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex WithOffset();
}
