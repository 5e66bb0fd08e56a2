using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.TestSupport;
using Xunit.Abstractions;

namespace RecordsRequests.IntegrationTests.Archive;

/// <summary>
/// A district's first import runs for hours; a power cut or a restart in the middle must cost neither a message nor a
/// duplicate. The real command line imports a 50,000-message export and is killed with SIGKILL at random moments; run
/// again each time, it continues where it stopped, and in the end every message is in the archive and in the search
/// index exactly once, checked by Message-ID.
/// </summary>
[Collection(Lanes.ArchiveImports)]
public sealed class ImportKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Messages = 50_000;
    private const int Kills = 10;

    // A database and data folder of its own: 50,000 items would slow the searches of every other archive test.
    private readonly TestDatabase _database = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("import-kill-").FullName;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ImportKilledTenTimesAtRandom_ResumesEachTime_AndEndsWithEveryMessageExactlyOnce()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var mbox = Path.Combine(_folder, "vault-export.mbox");
        var expected = EnronMbox.Write(EnronMbox.Corpus(), mbox, Messages, $"kill-{token}.test");
        var custodian = $"kill-{token}";
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");

        // One kill in each tenth of the import, at a random place in it, and a little after the rows got there, so kills
        // land while parsing, syncing, copying rows or indexing alike.
        var slice = (Messages - 5_000) / Kills;
        var committed = new List<int>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var target = 2_000 + kill * slice + random.Next(slice);
            using var import = Start(mbox, custodian);
            var exited = import.WaitForExitAsync();
            while (await CountAsync($"select count(*) from archive_item_sources where custodian = '{custodian}'") < target)
            {
                if (await Task.WhenAny(exited, Task.Delay(50)) == exited)
                {
                    Assert.Fail($"The import ended by itself before kill {kill + 1} (exit code {import.ExitCode}).");
                }
            }
            await Task.Delay(random.Next(400));
            // Process.Kill sends SIGKILL on Unix: no shutdown hooks, no flushing, like a power cut for the app.
            import.Kill(entireProcessTree: true);
            await exited;
            committed.Add(await CountAsync($"select count(*) from archive_item_sources where custodian = '{custodian}'"));
        }
        output.WriteLine($"items recorded after each kill: {string.Join(", ", committed)}");

        using (var last = Start(mbox, custodian))
        {
            var exited = last.WaitForExitAsync();
            Assert.True(await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMinutes(10))) == exited, "The resumed import did not finish within 10 minutes.");
            Assert.Equal(0, last.ExitCode);
        }

        // The database: one item and one source per message, and every Message-ID of the export among them.
        var rows = await MessageIdsAsync(custodian);
        Assert.Equal(Messages, rows.Count);
        var duplicated = rows.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.True(duplicated.Count == 0, $"Imported more than once: {string.Join(", ", duplicated)}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));

        // The search index: each Message-ID on exactly one live document, and nothing else.
        await using var services = _database.BuildServices();
        var indexed = services.GetRequiredService<ArchiveIndex>().Search(searcher => DocumentsPerMessageId(searcher.IndexReader), []);
        var wrong = expected.Where(id => indexed.GetValueOrDefault(id) != 1).Take(5).Select(id => $"{id}: {indexed.GetValueOrDefault(id)}").ToList();
        Assert.True(wrong.Count == 0, $"Not in the index exactly once: {string.Join(", ", wrong)}");
        Assert.Equal(Messages, indexed.Count);
    }

    private Process Start(string mbox, string custodian)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RecordsRequests.dll"), "archive", "import", mbox, "--custodian", custodian])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["RECORDS_DB"] = _database.ConnectionString;
        start.Environment["RECORDS_DATA"] = _database.DataPath;
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("import: " + e.Data); } };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine("import: " + e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private async Task<int> CountAsync(string sql) => await _database.ScalarAsync(sql);

    private async Task<List<string>> MessageIdsAsync(string custodian)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select i.message_id from archive_item_sources s join archive_items i on i.id = s.item_id where s.custodian = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = custodian });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static Dictionary<string, int> DocumentsPerMessageId(IndexReader reader)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var live = MultiFields.GetLiveDocs(reader);
        var terms = MultiFields.GetTerms(reader, ArchiveFields.MessageId);
        if (terms is null)
        {
            return counts;
        }
        var termsEnum = terms.GetEnumerator();
        DocsEnum? docs = null;
        while (termsEnum.MoveNext())
        {
            docs = termsEnum.Docs(live, docs);
            var n = 0;
            while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
            {
                n++;
            }
            if (n > 0)
            {
                counts[termsEnum.Term.Utf8ToString()] = n;
            }
        }
        return counts;
    }
}
