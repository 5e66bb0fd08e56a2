using RecordsRequests.Benchmarks;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

// Benchmarks of the product's real code, outside the product: ops/benchmark <name> [options]. The documents bench
// needs no database; the others run against the configured one (RECORDS_DB, as ops/records), so use a scratch database.
if (args is ["documents", "bench", .. var rest])
{
    return await DocumentsBench.RunAsync(rest);
}
if (CliRunner.IsHelp(args) || args.Length == 0)
{
    Console.WriteLine("ops/benchmark documents bench [--documents N] [--paragraphs N] [--seed N] [--isolation auto|bubblewrap|unshare|none]");
    Console.WriteLine("    release and OCR pages per second, recall and precision on generated documents and their scans (no database)");
    Console.WriteLine();
}
return await RecordsHost.RunCommandAsync(args, services => services
    .AddCliCommand<ArchiveBenchCommand>()
    .AddCliCommand<ArchiveRealBenchCommand>()
    .AddCliCommand<RedactionBenchCommand>()
    .AddCliCommand<IntakeBenchCommand>()
    .AddCliCommand<WorkflowBenchCommand>()
    .AddCliCommand<SyntheticRequestsCommand>(), program: "ops/benchmark");
