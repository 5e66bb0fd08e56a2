using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Requests;

/// <summary>The last tracking sequence used in a year.</summary>
public sealed class TrackingCounter
{
    public int Year { get; set; }
    public int LastValue { get; set; }
}

internal sealed class TrackingCounterConfiguration : IEntityTypeConfiguration<TrackingCounter>
{
    public void Configure(EntityTypeBuilder<TrackingCounter> builder) => builder.HasKey(c => c.Year);
}
