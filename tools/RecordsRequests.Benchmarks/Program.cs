using RecordsRequests.Benchmarks;

// Benchmarks of the product's real code, outside the product. One for now: "documents bench" (issue 14).
if (args is ["documents", "bench", .. var rest])
{
    return await DocumentsBench.RunAsync(rest);
}
Console.Error.WriteLine("""
    usage: ops/bench-documents [--documents N] [--paragraphs N] [--seed N]
           (runs: RecordsRequests.Benchmarks documents bench ...)
    """);
return 64;
