using System.Text.Json;

namespace RecordsRequests.Features.Releases;

internal static class ReleaseJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
