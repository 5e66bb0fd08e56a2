using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Data;

/// <summary>A list of small records stored as one jsonb column (a page's words, a redaction's boxes), compared by value.</summary>
internal static class JsonColumn
{
    public static PropertyBuilder<List<T>> HasJsonColumn<T>(this PropertyBuilder<List<T>> property) =>
        property.HasColumnType("jsonb").HasConversion(
            items => JsonSerializer.Serialize(items, JsonSerializerOptions.Web),
            json => JsonSerializer.Deserialize<List<T>>(json, JsonSerializerOptions.Web) ?? new List<T>(),
            new ValueComparer<List<T>>((a, b) => a!.SequenceEqual(b!), items => items.Count, items => items.ToList()));
}
