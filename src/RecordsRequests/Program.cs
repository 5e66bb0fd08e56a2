using RecordsRequests.Hosting;

// One executable, two faces: with no arguments (or "serve") it is the web dashboard; otherwise it runs the
// ops/records command named by its arguments, with the same configuration and services.
return await RecordsHost.RunAsync(args);

/// <summary>Exposed for WebApplicationFactory in the browser and HTTP tests.</summary>
public partial class Program;
