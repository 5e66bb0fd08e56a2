namespace RecordsRequests.Features.Intake;

/// <summary>What the spam filter made of a message: its points and matching rules, or why it could not score it.</summary>
public sealed record SpamScore(double? Points, IReadOnlyList<SpamRule> Rules, string? NotScoredBecause)
{
    public static SpamScore NotScored(string why) => new(null, [], why);

    /// <summary>The rules that added most to the score, as an officer reads them on the spam list.</summary>
    public IEnumerable<SpamRule> TopRules => Rules.Where(r => r.Points > 0).OrderByDescending(r => r.Points).Take(3);
}
