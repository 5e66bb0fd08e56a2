using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Records;
using RecordsRequests.Hosting;

namespace RecordsRequests.Tests.Records;

public sealed class ContentStoreTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("content-store-").FullName;

    private ContentStore Store => new(Options.Create(new RecordsOptions { DataPath = _data, Database = "unused" }));

    [Fact]
    public async Task PutBatch_StoresEachContentOnceUnderItsHash()
    {
        var first = Encoding.UTF8.GetBytes("From: clerk\r\n\r\nFirst message");
        var second = Encoding.UTF8.GetBytes("From: clerk\r\n\r\nSecond message");

        await Store.PutBatchAsync([first, second, first], CancellationToken.None);

        Assert.Equal(first, await Store.ReadAllBytesAsync(Hash(first), CancellationToken.None));
        Assert.Equal(second, await Store.ReadAllBytesAsync(Hash(second), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "content"), ".incoming-*"));
    }

    [Fact]
    public async Task PutBatch_RewritesAFileACrashLeftShort()
    {
        var content = Encoding.UTF8.GetBytes("From: clerk\r\n\r\nA message cut short by a power failure");
        await Store.PutBatchAsync([content], CancellationToken.None);
        var path = Directory.EnumerateFiles(Path.Combine(_data, "content"), Hash(content), SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(path, content[..10]);

        await Store.PutBatchAsync([content], CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
    }

    private static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
