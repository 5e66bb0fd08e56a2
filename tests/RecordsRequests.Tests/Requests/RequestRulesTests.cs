using RecordsRequests.Features.Requests;

namespace RecordsRequests.Tests.Requests;

public class RequestRulesTests
{
    [Theory]
    [InlineData(2026, 42, "PRR-2026-0042")]
    [InlineData(2026, 1, "PRR-2026-0001")]
    [InlineData(2027, 12345, "PRR-2027-12345")]
    public void TrackingNumber_IsYearAndZeroPaddedSequence(int year, int sequence, string expected) =>
        Assert.Equal(expected, Request.FormatTrackingNumber(year, sequence));

    [Theory]
    [InlineData(CitedLaw.None, GoverningLaw.MassachusettsPublicRecordsLaw)]
    [InlineData(CitedLaw.MassachusettsPublicRecordsLaw, GoverningLaw.MassachusettsPublicRecordsLaw)]
    [InlineData(CitedLaw.FederalFoia, GoverningLaw.MassachusettsPublicRecordsLaw)]
    [InlineData(CitedLaw.Other, GoverningLaw.MassachusettsPublicRecordsLaw)]
    [InlineData(CitedLaw.StudentRecordRegulations, GoverningLaw.StudentRecordAccess)]
    public void GoverningLaw_FoiaCitationIsStillProcessedUnderChapter66(CitedLaw cited, GoverningLaw expected) =>
        Assert.Equal(expected, Request.GoverningLawFor(cited));

    [Fact]
    public void Receive_KeepsTheCitedLawBesideTheGoverningLaw()
    {
        var request = Request.Receive(Requester.Create(null, "a@b.example", null), "Bus contracts", RequestChannel.Email, CitedLaw.FederalFoia,
            new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(-5)));

        Assert.Equal(CitedLaw.FederalFoia, request.CitedLaw);
        Assert.Equal(GoverningLaw.MassachusettsPublicRecordsLaw, request.GoverningLaw);
        Assert.Equal(RequestStatus.Received, request.Status);
        Assert.Equal(TimeSpan.Zero, request.ReceivedAt.Offset);
    }

    [Fact]
    public void Requester_MayBeAnonymousButNeedsSomewhereToRespond()
    {
        var anonymous = Requester.Create("  ", "Someone@Example.org ", null);
        Assert.True(anonymous.IsAnonymous);
        Assert.Equal("someone@example.org", anonymous.Email);

        var byPost = Requester.Create(null, null, "1 Main St, Boston MA");
        Assert.Equal("1 Main St, Boston MA", byPost.PostalAddress);

        Assert.Throws<DomainException>(() => Requester.Create("Named Person", " ", null));
    }

    [Fact]
    public void Receive_RefusesAnEmptyDescription() =>
        Assert.Throws<DomainException>(() =>
            Request.Receive(Requester.Create(null, "a@b.example", null), "  ", RequestChannel.WebForm, CitedLaw.None, DateTimeOffset.UnixEpoch));

    [Fact]
    public void MoveTo_RejectsATransitionTheLifecycleDoesNotAllow()
    {
        var request = Request.Receive(Requester.Create(null, "a@b.example", null), "x", RequestChannel.WebForm, CitedLaw.None, DateTimeOffset.UnixEpoch);

        var refused = Assert.Throws<DomainException>(() => request.MoveTo(RequestStatus.Closed, DateTimeOffset.UnixEpoch));
        Assert.Contains("Received", refused.Message, StringComparison.Ordinal);
        Assert.Equal(RequestStatus.Received, request.Status);
    }

    [Theory]
    [InlineData(RequestStatus.Received, true)]
    [InlineData(RequestStatus.AwaitingCounsel, true)]
    [InlineData(RequestStatus.AwaitingPayment, true)]
    [InlineData(RequestStatus.Closed, false)]
    [InlineData(RequestStatus.Withdrawn, false)]
    public void Withdrawal_IsPossibleFromEveryOpenStatusOnly(RequestStatus from, bool allowed) =>
        Assert.Equal(allowed, from.CanMoveTo(RequestStatus.Withdrawn));

    [Fact]
    public void EveryStatus_IsReachableFromReceipt_AndEveryOpenOneCanStillEnd()
    {
        static HashSet<RequestStatus> ReachableFrom(RequestStatus start)
        {
            var seen = new HashSet<RequestStatus> { start };
            var next = new Queue<RequestStatus>([start]);
            while (next.TryDequeue(out var status))
            {
                foreach (var to in status.NextStatuses().Where(seen.Add))
                {
                    next.Enqueue(to);
                }
            }
            return seen;
        }

        // No status is unreachable (a status nothing leads to is a dead rule).
        Assert.Equal(Enum.GetValues<RequestStatus>().Order(), ReachableFrom(RequestStatus.Received).Order());
        // No open request can get stuck: from each one a response or an ending is still possible.
        foreach (var open in Enum.GetValues<RequestStatus>().Where(s => s.IsOpen()))
        {
            Assert.Contains(RequestStatus.Responded, ReachableFrom(open));
            Assert.Contains(RequestStatus.Withdrawn, open.NextStatuses());
        }
        // Closed and withdrawn are final; mail judged not a request can be taken back into triage.
        Assert.Empty(RequestStatus.Closed.NextStatuses());
        Assert.Empty(RequestStatus.Withdrawn.NextStatuses());
        Assert.Equal([RequestStatus.InTriage], RequestStatus.NotARequest.NextStatuses());
    }
}
