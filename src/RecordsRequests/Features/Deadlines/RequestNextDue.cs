using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// A request's next live statutory date, kept beside its clocks so the queue can be ordered by an index instead of
/// aggregating every clock of every open request on each page view. Derived data, rewritten with the clocks.
/// </summary>
public sealed class RequestNextDue
{
    public Guid RequestId { get; private set; }
    public DateOnly? DueDate { get; private set; }
    public ClockKind? Kind { get; private set; }

    private RequestNextDue() { }

    internal static RequestNextDue For(Guid requestId) => new() { RequestId = requestId };

    /// <summary>
    /// The clocks that still bind: day 10 until a written response is recorded, the petition deadline while no
    /// extension is recorded, and the production date that governs — the same clocks reminders follow.
    /// </summary>
    internal void Update(RequestClockSet set, ClockInputs inputs)
    {
        var next = set.Clocks
            .Where(c => c.Kind switch
            {
                ClockKind.ResponseDue => inputs.WrittenResponseOn is null,
                ClockKind.PetitionDeadline => inputs.Extension is null,
                ClockKind.ProductionDue or ClockKind.ExtendedProductionDue or ClockKind.AgreedProductionDate => c.Kind == set.GoverningProduction,
                ClockKind.DeemedReceived or ClockKind.AppealWindowEnds => false,
            })
            .OrderBy(c => c.Due.Date)
            .FirstOrDefault();
        DueDate = next?.Due.Date;
        Kind = next?.Kind;
    }
}

internal sealed class RequestNextDueConfiguration : IEntityTypeConfiguration<RequestNextDue>
{
    public void Configure(EntityTypeBuilder<RequestNextDue> builder)
    {
        builder.ToTable("request_next_due");
        builder.HasKey(n => n.RequestId);
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(30);
        builder.HasIndex(n => n.DueDate);
        builder.HasOne<Requests.Request>().WithOne().HasForeignKey<RequestNextDue>(n => n.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
