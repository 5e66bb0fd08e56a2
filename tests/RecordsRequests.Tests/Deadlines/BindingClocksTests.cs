using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Tests.Deadlines;

/// <summary>The one switch the queue's next date and the reminder sweep both read.</summary>
public class BindingClocksTests
{
    private static readonly SupervisorExtension Extension = new(20, new DateOnly(2026, 5, 8), null, "SPR26/0100");

    [Fact]
    public void Day10_BindsUntilAWrittenResponseIsRecorded()
    {
        Assert.True(BindingClocks.StillBinds(ClockKind.ResponseDue, false, ClockInputs.None));
        Assert.False(BindingClocks.StillBinds(ClockKind.ResponseDue, false, new ClockInputs(WrittenResponseOn: new DateOnly(2026, 4, 20))));
    }

    [Fact]
    public void PetitionDeadline_BindsUntilAnExtensionIsRecorded()
    {
        Assert.True(BindingClocks.StillBinds(ClockKind.PetitionDeadline, false, ClockInputs.None));
        Assert.False(BindingClocks.StillBinds(ClockKind.PetitionDeadline, false, new ClockInputs(Extension: Extension)));
    }

    [Fact]
    public void OnlyTheGoverningProductionDateBinds_AndNeverTheAppealWindowOrReceipt()
    {
        foreach (var kind in new[] { ClockKind.ProductionDue, ClockKind.ExtendedProductionDue, ClockKind.AgreedProductionDate })
        {
            Assert.True(BindingClocks.StillBinds(kind, governing: true, ClockInputs.None));
            Assert.False(BindingClocks.StillBinds(kind, governing: false, ClockInputs.None));
        }
        Assert.False(BindingClocks.StillBinds(ClockKind.AppealWindowEnds, false, ClockInputs.None));
        Assert.False(BindingClocks.StillBinds(ClockKind.DeemedReceived, false, ClockInputs.None));
    }

    [Fact]
    public void EveryClockKind_SaysWhetherItBinds()
    {
        foreach (var kind in Enum.GetValues<ClockKind>())
        {
            _ = BindingClocks.StillBinds(kind, governing: true, ClockInputs.None);
        }
    }
}
