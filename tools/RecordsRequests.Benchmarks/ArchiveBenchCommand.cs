using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using RecordsRequests.Features.Archive;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;
using RecordsRequests.TestSupport;

namespace RecordsRequests.Benchmarks;

/// <summary>
/// Measures, on one generated corpus, ingest and query latency of our Lucene index (through the same ArchiveIndex,
/// document builder and ArchiveSearch the product uses) against PostgreSQL full-text search (tsvector + GIN,
/// websearch_to_tsquery, ts_rank, ts_headline), the baseline a district would otherwise reach for.
/// Ingest here is indexing only: MIME parsing, the content store and the archive_items rows are not part of it.
/// </summary>
internal sealed class ArchiveBenchCommand(IOptions<RecordsOptions> options, NpgsqlDataSource dataSource, DistrictTime time) : ICliCommand
{
    private const string Schema = "archive_bench";

    public static string Name => "archive bench";
    public static string Summary => "benchmark archive ingest and queries: our Lucene index against PostgreSQL full-text search";
    public static string Usage => """
        ops/benchmark archive bench [--messages N] [--seed S] [--runs R] [--postgres-runs R] [--skip-postgres] [--word-pairs] [--keep]
          --messages  corpus size (default 100000)     --seed  generator seed (default 42)
          --runs      timed runs per query (default 30, after 10 untimed warm-up runs)
          --postgres-runs  timed runs per PostgreSQL query (default: --runs); fewer keep a large run short when each
                      PostgreSQL query takes seconds
          --word-pairs  index word pairs of frequent words too, as with the setting Archive__WordPairs=true (faster phrases of frequent words, slower ingest)
          Uses <data>/archive-bench for the index and schema archive_bench in the configured database; both are
          removed afterwards unless --keep.
        """;

    private sealed record BenchQuery(string Name, ArchiveQuery Lucene, string PostgresTsQuery, string? PostgresFilter, bool PostgresByDate);

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var args = new CliArguments(arguments, new HashSet<string> { "skip-postgres", "keep", "word-pairs" });
        args.RejectUnknown("messages", "seed", "runs", "postgres-runs", "skip-postgres", "keep", "word-pairs");
        var count = Number(args, "messages", 100_000);
        var seed = Number(args, "seed", 42);
        var runs = (int)Number(args, "runs", 30);
        var postgresRuns = (int)Number(args, "postgres-runs", runs);
        var corpus = new BenchCorpus(count, seed);
        var benchPath = Path.Combine(options.DataPath(), "archive-bench");
        if (Directory.Exists(benchPath))
        {
            Directory.Delete(benchPath, recursive: true);
        }
        var queries = Queries();

        Console.Error.WriteLine($"Lucene: indexing {count} generated messages into {benchPath}");
        var benchOptions = Options.Create(new RecordsOptions { DataPath = benchPath, Database = "unused", TimeZone = options.Value.TimeZone });
        IngestResult lucene;
        var luceneLatency = new Dictionary<string, (List<double> Times, int Hits)>();
        var searchPhases = new Dictionary<string, QueryPhases>();
        using (var index = new ArchiveIndex(benchOptions, Options.Create(new ArchiveOptions { WordPairs = args.Has("word-pairs") })))
        {
            lucene = IngestLucene(corpus, index, cancellationToken);
            if (index.WordPairs)
            {
                Console.Error.WriteLine(index.ChosenFrequentWords is { } words
                    ? $"Word pairs: of {words.Count} frequent words (in at least one message in {FrequentWords.ItemsPerWord}), chosen once the index held {new ArchiveOptions().FrequentWordsAfter} messages."
                    : "Word pairs: every pair (too few messages to choose frequent words).");
            }
            var search = new ArchiveSearch(index, time);
            foreach (var query in queries)
            {
                // The search's phases are traced (Tracing.ArchiveSearch); the timed runs' are summed, not the warm-ups'.
                using var passes = new PassTimes(Tracing.ArchiveSearchSourceName);
                var measured = MeasureLucene(runs, run =>
                {
                    passes.Recording = run;
                    return search.Search(query.Lucene).TotalHits;
                });
                luceneLatency[query.Name] = (measured.Times, measured.Hits);
                searchPhases[query.Name] = new QueryPhases(passes["search"], passes["stored fields"], passes["highlight"], measured.TimedCpu, measured.WarmUps);
            }
        }
        var indexBytes = Directory.EnumerateFiles(benchPath, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        if (!args.Has("skip-postgres"))
        {
            // On a large corpus the PostgreSQL half takes long; the Lucene half is printed first so it is not lost if the run is stopped.
            Console.WriteLine("Lucene half (PostgreSQL still to run):");
            Print(count, seed, args.Has("word-pairs"), runs, postgresRuns, lucene, indexBytes, null, 0, queries, luceneLatency, new(), searchPhases);
            Console.WriteLine();
            Console.Out.Flush();
        }

        IngestResult? postgres = null;
        var postgresLatency = new Dictionary<string, (List<double> Times, int Hits)>();
        long postgresBytes = 0;
        if (!args.Has("skip-postgres"))
        {
            Console.Error.WriteLine($"PostgreSQL: loading the same {count} messages into {Schema}.messages");
            postgres = await IngestPostgresAsync(corpus, cancellationToken);
            postgresBytes = await ScalarAsync<long>($"select pg_total_relation_size('{Schema}.messages')", cancellationToken);
            foreach (var query in queries)
            {
                var times = new List<double>();
                var hits = 0;
                // A PostgreSQL query can take seconds on a large corpus; with few timed runs, as many warm-up runs as timed ones.
                var warmUps = Math.Min(3, postgresRuns);
                for (var run = 0; run < postgresRuns + warmUps; run++)
                {
                    var watch = Stopwatch.StartNew();
                    hits = await QueryPostgresAsync(query, cancellationToken);
                    if (run >= warmUps)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }
                postgresLatency[query.Name] = (times, hits);
            }
        }
        if (!args.Has("keep"))
        {
            Directory.Delete(benchPath, recursive: true);
            await ExecuteAsync($"drop schema if exists {Schema} cascade", cancellationToken);
        }

        Print(count, seed, args.Has("word-pairs"), runs, postgresRuns, lucene, indexBytes, postgres, postgresBytes, queries, luceneLatency, postgresLatency, searchPhases);
        return 0;
    }

    private static List<BenchQuery> Queries() =>
    [
        new("rare term", new ArchiveQuery(BenchCorpus.RareTerm), $"websearch_to_tsquery('english', '{BenchCorpus.RareTerm}')", null, false),
        new("common term", new ArchiveQuery("students"), "websearch_to_tsquery('english', 'students')", null, false),
        new("phrase", new ArchiveQuery($"\"{BenchCorpus.PlantedPhrase}\""), $"websearch_to_tsquery('english', '\"{BenchCorpus.PlantedPhrase}\"')", null, false),
        new("phrase of common words", new ArchiveQuery("\"please let me know\""), "websearch_to_tsquery('english', '\"please let me know\"')", null, false),
        new("boolean", new ArchiveQuery("budget AND (teacher OR substitute) AND NOT layoff"), "to_tsquery('english', 'budget & (teacher | substitute) & !layoff')", null, false),
        new("wildcard", new ArchiveQuery("transport*"), "to_tsquery('english', 'transport:*')", null, false),
        new("date-filtered phrase", new ArchiveQuery("\"field trip\"", new DateOnly(2019, 1, 1), new DateOnly(2019, 12, 31)),
            "websearch_to_tsquery('english', '\"field trip\"')", "sent_at >= '2019-01-01 00:00-05' and sent_at < '2020-01-01 00:00-05'", false),
        new("subject field, newest first", new ArchiveQuery("subject:budget", Sort: ArchiveSort.NewestFirst), "to_tsquery('english', 'budget:A')", null, true),
    ];

    /// <param name="CpuTime">CPU time this process spent, which a shared machine does not inflate the way it inflates wall time.</param>
    /// <param name="Phases">Time per ingest phase summed over the indexing threads, so phases can add up to more than the wall time.</param>
    /// <param name="PeakMemoryBytes">Peak resident memory of the process, which on Linux includes the pages of index files
    /// that Lucene maps into memory (the kernel's page cache, given back under pressure).</param>
    /// <param name="PeakPrivateBytes">Peak of the process's own (anonymous) memory: the heap and buffers, without mapped files.</param>
    /// <param name="MergesSettled">After the final commit, how long Lucene's background merges took to finish (not part of the ingest time).</param>
    private sealed record IngestResult(TimeSpan Elapsed, long Messages, long Bytes, long PeakMemoryBytes, TimeSpan? CpuTime,
        IReadOnlyList<(string Name, TimeSpan Time)> Phases, long? PeakPrivateBytes = null, TimeSpan? MergesSettled = null);

    private static IngestResult IngestLucene(BenchCorpus corpus, ArchiveIndex index, CancellationToken cancellationToken)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        using var memory = new PrivateMemorySampler();
        var watch = Stopwatch.StartNew();
        long bytes = 0, done = 0;
        long generateTicks = 0, buildTicks = 0, addTicks = 0;
        var workers = Environment.ProcessorCount;
        // IndexWriter is thread-safe: each core generates, builds and adds its own share of the messages.
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, worker =>
        {
            long localBytes = 0, generate = 0, build = 0, add = 0;
            for (var i = (long)worker; i < corpus.Count; i += workers)
            {
                var t0 = Stopwatch.GetTimestamp();
                var message = corpus.Message(i);
                var t1 = Stopwatch.GetTimestamp();
                var document = ArchiveDocuments.Build(GuidFor(i), ArchiveItemKind.Message, [message.Custodian], message.Content);
                var t2 = Stopwatch.GetTimestamp();
                index.Add(document);
                var t3 = Stopwatch.GetTimestamp();
                generate += t1 - t0;
                build += t2 - t1;
                add += t3 - t2;
                localBytes += message.Bytes;
                var n = Interlocked.Increment(ref done);
                if (n % 100_000 == 0)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n} indexed, {n / watch.Elapsed.TotalSeconds:F0}/s"));
                }
            }
            Interlocked.Add(ref bytes, localBytes);
            Interlocked.Add(ref generateTicks, generate);
            Interlocked.Add(ref buildTicks, build);
            Interlocked.Add(ref addTicks, add);
        });
        var commitStart = Stopwatch.GetTimestamp();
        index.Commit(0);
        var commit = Stopwatch.GetElapsedTime(commitStart);
        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        // Queries are timed on a settled index, as the web host (a separate process from the import) would search it:
        // the merges the import started have finished, and the import's garbage is not collected in the middle of a query.
        var settleStart = Stopwatch.GetTimestamp();
        index.WaitForMerges();
        var settled = Stopwatch.GetElapsedTime(settleStart);
        memory.Dispose();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var phases = new List<(string, TimeSpan)>
        {
            ("generate message (stands in for parse)", Stopwatch.GetElapsedTime(0, generateTicks)),
            ("build Lucene document", Stopwatch.GetElapsedTime(0, buildTicks)),
            ("IndexWriter.AddDocument", Stopwatch.GetElapsedTime(0, addTicks)),
            ("final commit", commit),
        };
        return new IngestResult(watch.Elapsed, corpus.Count, bytes, process.PeakWorkingSet64, cpu, phases, memory.PeakPrivateBytes, settled);
    }

    private async Task<IngestResult> IngestPostgresAsync(BenchCorpus corpus, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"""
            drop schema if exists {Schema} cascade;
            create schema {Schema};
            create unlogged table {Schema}.messages (
                id bigint primary key, custodian text, sender text, recipients text, subject text, body text,
                attachment_names text, attachment_text text, sent_at timestamptz,
                tsv tsvector generated always as (
                    setweight(to_tsvector('english', coalesce(subject, '')), 'A') ||
                    setweight(to_tsvector('english', coalesce(sender, '') || ' ' || coalesce(recipients, '')), 'B') ||
                    to_tsvector('english', coalesce(body, '') || ' ' || coalesce(attachment_names, '') || ' ' || coalesce(attachment_text, ''))
                ) stored);
            """, cancellationToken);
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        var workers = Environment.ProcessorCount;
        // One COPY per core, like the two Lucene indexing threads; the table is unlogged to give PostgreSQL its best case.
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var copy = await connection.BeginBinaryImportAsync(
                $"copy {Schema}.messages (id, custodian, sender, recipients, subject, body, attachment_names, attachment_text, sent_at) from stdin (format binary)",
                cancellationToken);
            long localBytes = 0;
            for (var i = (long)worker; i < corpus.Count; i += workers)
            {
                var message = corpus.Message(i);
                var content = message.Content;
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(i, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(message.Custodian, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(content.From, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync($"{content.To} {content.Cc}", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(content.Subject, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(content.Body, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(string.Join(' ', content.Attachments.Select(a => a.FileName)), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(string.Join('\n', content.Attachments.Select(a => a.Text)), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(content.SentAt!.Value, NpgsqlDbType.TimestampTz, cancellationToken);
                localBytes += message.Bytes;
            }
            await copy.CompleteAsync(cancellationToken);
            Interlocked.Add(ref bytes, localBytes);
        }, cancellationToken)));
        await ExecuteAsync($"""
            create index on {Schema}.messages using gin (tsv);
            create index on {Schema}.messages (sent_at);
            analyze {Schema}.messages;
            """, cancellationToken);
        watch.Stop();
        return new IngestResult(watch.Elapsed, corpus.Count, bytes, 0, null, []);
    }

    /// <summary>The same work the archive page asks of Lucene: the exact hit count and the first 20 hits with snippets.</summary>
    private async Task<int> QueryPostgresAsync(BenchQuery query, CancellationToken cancellationToken)
    {
        var filter = query.PostgresFilter is null ? "" : $" and {query.PostgresFilter}";
        var order = query.PostgresByDate ? "sent_at desc" : "rank desc";
        var sql = $"""
            with q as (select {query.PostgresTsQuery} as q)
            select (select count(*) from {Schema}.messages m, q where m.tsv @@ q.q{filter}) as total,
                   top.id, top.subject, ts_headline('english', top.body, q.q) as snippet
            from q left join lateral (
                select m.id, m.subject, m.body, ts_rank(m.tsv, q.q) as rank, m.sent_at
                from {Schema}.messages m where m.tsv @@ q.q{filter}
                order by {order} limit 20) top on true
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var total = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            total = (int)reader.GetInt64(0);
        }
        return total;
    }

    /// <summary>
    /// Untimed runs of each Lucene query before the timed ones: at least this many, and then more until .NET's JIT has
    /// compiled nothing new for <see cref="JitSettled"/>. .NET compiles a method quickly first and optimises it only after
    /// it has run a while (tiered compilation, on a background thread); a web host that has been up searches with
    /// optimised code. Ten runs alone were not enough: at 1,000,000 messages the timed runs of a phrase then still took
    /// about three times the CPU they take once optimised (46 ms a query against 16, and 19 with tiered compilation off).
    /// </summary>
    private const int LuceneWarmUps = 10;

    private static readonly TimeSpan JitSettled = TimeSpan.FromSeconds(1);

    /// <summary>Warm-up runs stop here even if the JIT is still compiling.</summary>
    private static readonly TimeSpan LongestWarmUp = TimeSpan.FromSeconds(30);

    /// <param name="search">Runs the query; its argument says whether this is a timed run (not a warm-up).</param>
    private static (List<double> Times, int Hits, int WarmUps, TimeSpan TimedCpu) MeasureLucene(int runs, Func<bool, int> search)
    {
        var warmUps = 0;
        var warming = Stopwatch.StartNew();
        var sinceCompile = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (warmUps < LuceneWarmUps || (sinceCompile.Elapsed < JitSettled && warming.Elapsed < LongestWarmUp))
        {
            search(false);
            warmUps++;
            if (System.Runtime.JitInfo.GetCompiledMethodCount() is var now && now != compiled)
            {
                compiled = now;
                sinceCompile.Restart();
            }
        }
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var times = new List<double>();
        var hits = 0;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            hits = search(true);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return (times, hits, warmUps, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static void Print(long count, long seed, bool wordPairs, int runs, int postgresRuns, IngestResult lucene, long indexBytes, IngestResult? postgres, long postgresBytes,
        List<BenchQuery> queries, Dictionary<string, (List<double> Times, int Hits)> luceneLatency, Dictionary<string, (List<double> Times, int Hits)> postgresLatency,
        Dictionary<string, QueryPhases> searchPhases)
    {
        var c = CultureInfo.InvariantCulture;
        string Rate(IngestResult? r) => r is null ? "-" : string.Create(c, $"{r.Messages / r.Elapsed.TotalSeconds:F0} msg/s, {r.Bytes / 1048576.0 / r.Elapsed.TotalSeconds:F1} MB/s");
        string Time(IngestResult? r) => r is null ? "-" : string.Create(c, $"{r.Elapsed.TotalSeconds:F1} s");
        string Latency((List<double> Times, int Hits) m) => string.Create(c, $"{Percentile(m.Times, 50),7:F1} / {Percentile(m.Times, 95),7:F1}  {m.Hits,8}");
        Console.WriteLine(string.Create(c, $"Archive benchmark: {count} messages, seed {seed}, {lucene.Bytes / 1048576.0:F0} MB of mail text, {Environment.ProcessorCount} cores, word pairs {(wordPairs ? "on" : "off")}; {runs} timed runs per query after warm-up runs (at least {LuceneWarmUps}, until the JIT compiled nothing new for {JitSettled.TotalSeconds:F0} s) (PostgreSQL: {postgresRuns} after {Math.Min(3, postgresRuns)})"));
        Console.WriteLine();
        Console.WriteLine($"| {"",-30} | {"Lucene (ours)",-34} | {"PostgreSQL FTS (tsvector + GIN)",-34} |");
        Console.WriteLine($"|{new string('-', 32)}|{new string('-', 36)}|{new string('-', 36)}|");
        Console.WriteLine($"| {"ingest time",-30} | {Time(lucene),-34} | {Time(postgres),-34} |");
        Console.WriteLine($"| {"ingest rate",-30} | {Rate(lucene),-34} | {Rate(postgres),-34} |");
        Console.WriteLine(string.Create(c, $"| {"ingest CPU time (this process)",-30} | {$"{lucene.CpuTime!.Value.TotalSeconds:F1} s ({lucene.Messages / lucene.CpuTime.Value.TotalSeconds:F0} msg per CPU-second)",-34} | {"server process, not measured",-34} |"));
        Console.WriteLine(string.Create(c, $"| {"peak memory (this process)",-30} | {PeakMemory(lucene),-34} | {"server process, not measured",-34} |"));
        Console.WriteLine(string.Create(c, $"| {"size on disk",-30} | {$"{indexBytes / 1048576.0:F0} MB",-34} | {(postgres is null ? "-" : string.Create(c, $"{postgresBytes / 1048576.0:F0} MB")),-34} |"));
        Console.WriteLine($"| {"query: p50 / p95 ms, hits",-30} | {"",-34} | {"",-34} |");
        foreach (var query in queries)
        {
            var pg = postgresLatency.TryGetValue(query.Name, out var p) ? Latency(p) : "-";
            Console.WriteLine($"| {"  " + query.Name,-30} | {Latency(luceneLatency[query.Name]),-34} | {pg,-34} |");
        }
        var luceneAll = luceneLatency.Values.SelectMany(v => v.Times).ToList();
        var postgresAll = postgresLatency.Values.SelectMany(v => v.Times).ToList();
        Console.WriteLine(string.Create(c, $"| {"whole mix: p50 / p95 ms",-30} | {$"{Percentile(luceneAll, 50):F1} / {Percentile(luceneAll, 95):F1}",-34} | {(postgresAll.Count == 0 ? "-" : $"{Percentile(postgresAll, 50):F1} / {Percentile(postgresAll, 95):F1}"),-34} |"));
        if (postgresAll.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(c, $"p95 ratio PostgreSQL / Lucene: {Percentile(postgresAll, 95) / Percentile(luceneAll, 95):F1}x. Hit counts differ where PostgreSQL's 'english' configuration stems words and drops stop words; ours matches words exactly."));
        }
        Console.WriteLine();
        if (lucene.MergesSettled is { } mergesSettled)
        {
            Console.WriteLine(string.Create(c, $"Lucene's background merges finished {mergesSettled.TotalSeconds:F1} s after the final commit (not in the ingest time; queries were timed after)."));
        }
        Console.WriteLine("Lucene ingest by phase (summed over the indexing threads):");
        foreach (var (name, time) in lucene.Phases)
        {
            Console.WriteLine(string.Create(c, $"  {name,-40} {time.TotalSeconds,8:F1} s  {time.TotalMicroseconds / lucene.Messages,8:F0} µs/msg"));
        }
        Console.WriteLine();
        Console.WriteLine("Lucene query by phase, mean wall ms per query (search = hits, exact count and fee figures in one collector pass),");
        Console.WriteLine("the CPU time this process used per timed query, which other load on the machine inflates less, and the warm-up runs:");
        Console.WriteLine($"  {"",-30} {"search",8} {"stored",8} {"highlight",9} {"CPU",8} {"warm-ups",8}");
        foreach (var query in queries)
        {
            var phases = searchPhases[query.Name];
            Console.WriteLine(string.Create(c,
                $"  {query.Name,-30} {phases.Search.TotalMilliseconds / runs,8:F2} {phases.StoredFields.TotalMilliseconds / runs,8:F2} {phases.Highlight.TotalMilliseconds / runs,9:F2} {phases.ProcessCpu.TotalMilliseconds / runs,8:F2} {phases.WarmUps,8}"));
        }
    }

    private static Guid GuidFor(long index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, index);
        return new Guid(bytes);
    }

    private static long Number(CliArguments args, string name, long fallback) =>
        args.Value(name) is not { } value ? fallback
        : long.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new UsageException($"--{name} must be a positive number.");

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string PeakMemory(IngestResult result) => result.PeakPrivateBytes is { } own
        ? string.Create(CultureInfo.InvariantCulture, $"{own / 1048576.0:F0} MB own, {result.PeakMemoryBytes / 1048576.0:F0} MB resident")
        : string.Create(CultureInfo.InvariantCulture, $"{result.PeakMemoryBytes / 1048576.0:F0} MB resident");

    /// <summary>
    /// Samples the process's anonymous resident memory (RssAnon in /proc/self/status) twice a second: the kernel keeps a
    /// peak only of the total, which counts the index files Lucene maps as well. Null where /proc is not available.
    /// </summary>
    /// <summary>Time per phase of one query's timed runs, summed, the process's CPU time over them, and how many warm-up runs came first.</summary>
    private sealed record QueryPhases(TimeSpan Search, TimeSpan StoredFields, TimeSpan Highlight, TimeSpan ProcessCpu, int WarmUps);

    private sealed class PrivateMemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak = -1;

        public PrivateMemorySampler()
        {
            _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        }

        public long? PeakPrivateBytes => Interlocked.Read(ref _peak) is var peak && peak >= 0 ? peak : null;

        private void Sample()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                    {
                        var kilobytes = long.Parse(line["RssAnon:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                        var bytes = kilobytes * 1024;
                        long seen;
                        while (bytes > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, bytes, seen) != seen)
                        {
                        }
                        return;
                    }
                }
            }
            catch (IOException)
            {
                // Not Linux: only the total peak is reported.
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            Sample();
        }
    }
}
