using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Shared;
using RecordsRequests.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>The requester's secret link reaches its own release's produced files and nothing else, and a wrong link says nothing.</summary>
[Collection(Lanes.StaffPages)]
public sealed partial class SecretLinkTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OneRequestsLink_CannotFetchAnotherRequestsFiles_AndAnswersLikeAnUnknownLink()
    {
        var first = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var second = await SecuritySeed.ReleasedAsync(_app, "Jose Hernandez");
        using var requester = _app.CreateClient();
        var unknown = await requester.GetAsync($"/release/{NewToken()}/files/{second.FileIds[0]}");

        foreach (var foreign in second.FileIds)
        {
            var response = await requester.GetAsync($"/release/{first.Token}/files/{foreign}");
            await AssertSameNotFoundAsync(unknown, response);
        }
        foreach (var foreign in first.FileIds)
        {
            await AssertSameNotFoundAsync(unknown, await requester.GetAsync($"/release/{second.Token}/files/{foreign}"));
        }
        // Each link still reaches its own files.
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/release/{first.Token}/files/{first.FileIds[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/release/{second.Token}/files/{second.FileIds[0]}")).StatusCode);
    }

    [Fact]
    public async Task BadTokens_AreNotFound_WithTheSameAnswerAsAnyOther()
    {
        var seed = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var storedHash = await QueryAsync(db => db.Set<Release>().Where(r => r.RequestId == seed.RequestId).Select(r => r.TokenHash).SingleAsync());
        string[] badTokens =
        [
            NewToken(),                                         // well formed, never issued
            seed.Token[..^1] + (seed.Token[^1] == 'A' ? 'B' : 'A'), // one character off
            seed.Token.ToUpperInvariant() == seed.Token ? seed.Token.ToLowerInvariant() : seed.Token.ToUpperInvariant(),
            seed.Token + "x",
            seed.Token[..^4],
            storedHash,                                         // what a database copy would give an attacker
            SecretLinkToken.Hash(storedHash),
            "abc",                                              // too short to be a token
            new string('a', 300),                               // too long
            seed.TrackingNumber,
            "..%2F..%2Fetc%2Fpasswd",
        ];
        using var requester = _app.CreateClient();
        var reference = await requester.GetAsync($"/release/{NewToken()}");
        Assert.Equal(HttpStatusCode.NotFound, reference.StatusCode);

        foreach (var token in badTokens)
        {
            await AssertSameNotFoundAsync(reference, await requester.GetAsync($"/release/{token}"));
            await AssertSameNotFoundAsync(reference, await requester.GetAsync($"/release/{token}/files/{seed.FileIds[0]}"));
        }
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/release/{seed.Token}")).StatusCode);
    }

    [Fact]
    public async Task RequesterRoute_ServesOnlyTheProducedReleaseFiles_NeverTheOriginal()
    {
        var seed = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var record = await QueryAsync(db => db.Set<Record>().SingleAsync(r => r.Id == seed.RecordId));
        var releaseFiles = await QueryAsync(db => db.Set<ReleaseFile>().Where(f => seed.FileIds.Contains(f.Id)).ToListAsync());
        using var requester = _app.CreateClient();

        var listing = await requester.GetAsync($"/release/{seed.Token}");
        var html = await listing.Content.ReadAsStringAsync();
        Assert.Equal("no-referrer", listing.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-store", listing.Headers.CacheControl?.ToString());
        Assert.DoesNotContain(seed.SecretText, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(record.FileName, html, StringComparison.Ordinal);
        var linked = FileLink().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(seed.FileIds.Order(), linked.Order());

        foreach (var file in releaseFiles)
        {
            using var download = await requester.GetAsync($"/release/{seed.Token}/files/{file.Id}");
            Assert.Equal("no-store", download.Headers.CacheControl?.ToString());
            var bytes = await download.Content.ReadAsByteArrayAsync();
            Assert.NotEqual(record.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            var text = bytes.AsSpan().StartsWith("%PDF-"u8) ? PdfText(bytes) : Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain(seed.SecretText, text, StringComparison.OrdinalIgnoreCase);
        }
        // The original's id, or any other id, is not a release file.
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/release/{seed.Token}/files/{seed.RecordId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await requester.GetAsync($"/release/{seed.Token}/files/{seed.RequestId}")).StatusCode);
        // A content hash is not even a release route: like any unknown address it sends the visitor to staff sign-in.
        var byHash = await requester.GetAsync($"/release/{seed.Token}/files/{record.Sha256}");
        Assert.StartsWith("/account/sign-in", byHash.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    private static async Task AssertSameNotFoundAsync(HttpResponseMessage reference, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(await reference.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
        Assert.Equal(reference.Content.Headers.ContentType?.ToString(), response.Content.Headers.ContentType?.ToString());
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
    }

    [GeneratedRegex("href=\"/release/[^\"/]+/files/([0-9a-f-]{36})\"")]
    private static partial Regex FileLink();
}
