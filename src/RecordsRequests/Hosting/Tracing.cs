using System.Diagnostics;

namespace RecordsRequests.Hosting;

/// <summary>
/// Activities around the passes of the heavy paths (detection, archive search, intake's batches), so a trace listener (dotnet-trace,
/// OpenTelemetry, the benchmarks' own) can see where time goes without the code taking a timer. Nothing is recorded
/// unless something listens: with no listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null.
/// </summary>
public static class Tracing
{
    public const string DetectionSourceName = "RecordsRequests.Redactions.Detection";
    public const string ArchiveSearchSourceName = "RecordsRequests.Archive.Search";
    public const string IntakeSourceName = "RecordsRequests.Intake";

    public static readonly ActivitySource Detection = new(DetectionSourceName);
    public static readonly ActivitySource ArchiveSearch = new(ArchiveSearchSourceName);
    public static readonly ActivitySource Intake = new(IntakeSourceName);

    /// <summary>Ends <paramref name="finished"/> and starts the next pass of the same source.</summary>
    public static Activity? Next(this ActivitySource source, Activity? finished, string pass)
    {
        finished?.Dispose();
        return source.StartActivity(pass);
    }
}
