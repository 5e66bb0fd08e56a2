namespace RecordsRequests.Hosting;

/// <summary>
/// Maps the short environment variables documented in the README (RECORDS_DB, RECORDS_DATA, RECORDS_URL, ...) onto
/// configuration keys, so the web host, the CLI and the scripts read one set of names.
/// </summary>
public static class EnvironmentSettings
{
    private static readonly (string Variable, string Key)[] Map =
    [
        ("RECORDS_DB", "Records:Database"),
        ("RECORDS_DATA", "Records:DataPath"),
        ("RECORDS_TIMEZONE", "Records:TimeZone"),
        ("RECORDS_DISTRICT", "Records:DistrictName"),
        ("RECORDS_URL", "urls"),
    ];

    public static void AddRecordsEnvironment(this IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Map)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key] = value;
            }
        }
        configuration.AddInMemoryCollection(values);
    }
}
