namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>The SpamAssassin daemon ops/test starts (spamd on loopback, local rules only), named by RECORDS_TEST_SPAMD.</summary>
public sealed record SpamFilter(string Host, int Port)
{
    public static SpamFilter? FromEnvironmentOrNull()
    {
        var value = Environment.GetEnvironmentVariable("RECORDS_TEST_SPAMD");
        if (value is null)
        {
            return null;
        }
        var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return new SpamFilter(parts["Host"], int.Parse(parts["Port"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>For the tests of spam scoring itself, which cannot run without it.</summary>
    public static SpamFilter FromEnvironment() => FromEnvironmentOrNull()
        ?? throw new InvalidOperationException(
            "RECORDS_TEST_SPAMD is not set. Run the tests with ops/test, which installs spamassassin and spamd and starts spamd on a loopback port, or " +
            "start one yourself (see start_spamd in ops/lib.sh) and set RECORDS_TEST_SPAMD=\"Host=127.0.0.1;Port=N\".");

    /// <summary>Settings that point intake at this spamd.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Intake:Spam:Host"] = Host,
        ["Intake:Spam:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
