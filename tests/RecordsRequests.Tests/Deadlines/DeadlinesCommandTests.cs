using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Tests.Deadlines;

public class DeadlinesCommandTests
{
    [Theory]
    [InlineData("2026-04-11T10:00:00-04:00", true)]
    [InlineData("2026-04-11T14:00:00Z", true)]
    [InlineData("2026-04-11T14:00Z", true)]
    [InlineData("2026-04-11T14:00:00.123+01:00", true)]
    [InlineData("2026-04-11T10:00:00", false)]
    [InlineData("2026-04-11", false)]
    [InlineData("April 11 2026", false)]
    public void Instant_MustCarryItsOffset(string text, bool accepted) =>
        Assert.Equal(accepted, DeadlinesCommand.TryParseInstant(text, out _));
}
