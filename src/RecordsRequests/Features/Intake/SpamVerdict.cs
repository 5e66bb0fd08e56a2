using System.Globalization;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Why a message is held as spam, in the words the spam list shows. The one home of "held as spam": the district's own
/// mail system's verdict (<see cref="UpstreamSpamVerdict"/>, or a mailbox provider's junk folder) and SpamAssassin's
/// score of mail the SMTP listener received directly both end here, and a message with a verdict becomes
/// <see cref="IntakeClassification.Spam"/>: never opened as a request, never answered, never deleted, and released by an
/// officer from the spam list.
/// </summary>
public sealed record SpamVerdict(string Reason)
{
    /// <summary>A mail system that delivered the message to the district judged it spam ("Microsoft 365", "Gmail").</summary>
    public static SpamVerdict MarkedBy(string system, string how) => new($"marked as spam by {system} ({how})");

    /// <summary>SpamAssassin's score, when it is at or above the setting; null when the message is not held.</summary>
    public static SpamVerdict? Scored(SpamScore score, double holdAtScore)
    {
        if (score.Points is not { } points || points < holdAtScore)
        {
            return null;
        }
        var rules = score.TopRules.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Description} ({r.Points:0.0})")).ToList();
        return new(string.Create(CultureInfo.InvariantCulture, $"SpamAssassin scored it {points:0.0} points (held at {holdAtScore:0.0} or more)")
            + (rules.Count > 0 ? ": " + string.Join("; ", rules) : ""));
    }
}
