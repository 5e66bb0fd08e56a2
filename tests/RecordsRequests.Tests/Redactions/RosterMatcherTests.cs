using RecordsRequests.Features.Redactions;
using RecordsRequests.TestSupport;

namespace RecordsRequests.Tests.Redactions;

/// <summary>
/// The roster matcher's lookup tables (hash filter, open addressing, trie edges) at district scale: every planted
/// identifier must still be found and nothing a roster does not contain may be reported.
/// </summary>
public sealed class RosterMatcherTests
{
    [Fact]
    public void Scan_LargeRoster_FindsEveryPlantedRosterIdentifier()
    {
        var generator = new SchoolDocumentGenerator(7);
        var roster = generator.MakeRoster(5000);
        var matcher = new RosterMatcher(roster);
        var rosterCategories = new[] { RedactionCategory.StudentName, RedactionCategory.GuardianName, RedactionCategory.HomeAddress, RedactionCategory.StudentId };

        for (var i = 0; i < 200; i++)
        {
            var document = generator.MakeDocument(roster, 12);
            var hits = new List<RosterHit>();
            matcher.Scan(document.Text, hits, []);

            foreach (var planted in document.Planted.Where(p => p.NeedsRoster && rosterCategories.Contains(p.Category)))
            {
                Assert.Contains(hits, h => h.Start <= planted.Start && h.End >= planted.End);
            }
            // The generator plants roster identifiers only where it records them: every hit covers a planted one.
            Assert.All(hits, h => Assert.Contains(document.Planted, p => p.Start < h.End && h.Start < p.End));
        }
    }

    [Theory]
    [InlineData("Maya Okafor", true)]
    [InlineData("maya okafor", true)]
    [InlineData("MAYA OKAFOR", true)]
    [InlineData("Okafor, Maya", true)]
    [InlineData("Maya Okafo", false)]
    [InlineData("Maya Okaforr", false)]
    [InlineData("Maya, Okafor", false)]
    [InlineData("Okafor Maya", false)]
    public void Scan_WordsNearAName_MatchOnlyTheRosterForms(string text, bool matches)
    {
        var matcher = new RosterMatcher(new Roster([new RosterStudent("4410023", "Maya", "", "Okafor", "2012-03-14", [], "")]));
        var hits = new List<RosterHit>();

        matcher.Scan($"Note: {text} today.", hits, []);

        Assert.Equal(matches, hits.Any(h => h.Category == RedactionCategory.StudentName));
    }

    [Theory]
    [InlineData("17 Linden Street")]
    [InlineData("17 Linden St.")]
    [InlineData("17 linden str")]
    public void Scan_StreetTypeOrItsAbbreviation_MatchesTheRosterAddress(string text)
    {
        var matcher = new RosterMatcher(new Roster([new RosterStudent("4410023", "Maya", "", "Okafor", "2012-03-14", [], "17 Linden Street, Westfield MA 01085")]));
        var hits = new List<RosterHit>();

        var sentence = $"The bus stops at {text} daily.";
        matcher.Scan(sentence, hits, []);

        Assert.Contains(hits, h => h.Category == RedactionCategory.HomeAddress && sentence[h.Start..h.End].StartsWith("17 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_EmptyRoster_ReportsOnlyReviewTerms()
    {
        var matcher = new RosterMatcher(null);
        var hits = new List<RosterHit>();
        var flags = new List<ReviewFlag>();

        matcher.Scan("Maya Okafor's IEP, 17 Linden Street, 4410023.", hits, flags);

        Assert.Empty(hits);
        Assert.Equal(["IEP"], flags.Select(f => f.Term));
    }
}
