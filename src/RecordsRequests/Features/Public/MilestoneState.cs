namespace RecordsRequests.Features.Public;

public enum MilestoneState
{
    Done,
    Current,
    Upcoming,
}
