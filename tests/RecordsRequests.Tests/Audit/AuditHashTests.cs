using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Tests.Audit;

public sealed class AuditHashTests
{
    [Fact]
    public void AnEventsHash_IsTheSha256OfItsFieldsJoinedByUnitSeparators_WithItsValuesWrittenCanonically()
    {
        // The values as the database driver may have written them (escaped '+' and 'é'); the hash covers them re-written
        // with the chain's one escaping, so chains written before still verify.
        var before = JsonDocument.Parse("""{"Name":"Caf\u00e9 \u002B1","Size":10}""");
        var after = JsonDocument.Parse("""{"Name":"Café +2 <b>","Size":12}""");
        var requestId = Guid.Parse("01a24c28-4b51-7816-bb89-16079e799603");
        var e = AuditEvent.Create(new DateTimeOffset(2026, 3, 2, 14, 5, 0, TimeSpan.Zero), "officer@district.example", "Requester.Updated", "Requester", "r-1",
            requestId, before, after);

        e.Chain(42, "ab12");

        var joined = string.Join('\u001f', "42", e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture), "officer@district.example", "Requester.Updated",
            "Requester", "r-1", requestId.ToString("D"), """{"Name":"Café +1","Size":10}""", """{"Name":"Café +2 <b>","Size":12}""", "ab12");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined))), e.Hash);
        Assert.Equal(e.Hash, AuditChain.HashOf(e));
    }
}
