using RecordsRequests.Features.Public;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Tests.Status;

public sealed class RequesterStatusWordsTests
{
    [Fact]
    public void AnUntriagedRequest_IsNotSaidToBeSearchedFor()
    {
        Assert.DoesNotContain("searching", RequesterStatus.Summary(RequestStatus.InTriage), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("searching", RequesterStatus.Summary(RequestStatus.Collecting), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EveryStatus_HasWordsForTheRequester() =>
        Assert.All(Enum.GetValues<RequestStatus>(), status => Assert.False(string.IsNullOrWhiteSpace(RequesterStatus.Summary(status))));
}
