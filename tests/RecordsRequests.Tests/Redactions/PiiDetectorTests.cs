using RecordsRequests.Features.Redactions;

namespace RecordsRequests.Tests.Redactions;

public sealed class PiiDetectorTests
{
    private static readonly Roster Roster = Roster.Load(Path.Combine(AppContext.BaseDirectory, "Redactions", "TestData", "roster.csv"));
    private static readonly PiiDetector Detector = new(Roster, new RedactionOptions());

    private static List<(string Text, RedactionCategory Category, string Exemption)> Detect(string text) =>
        Detector.Detect(text).Suggestions.Select(s => (s.Text, s.Category, s.ExemptionCode)).ToList();

    [Theory]
    [InlineData("Meeting about Maya Okafor today.", "Maya Okafor")]
    [InlineData("Re: OKAFOR, MAYA - attendance", "OKAFOR, MAYA")]
    [InlineData("Student: Okafor, Maya R. (grade 6)", "Okafor, Maya R")]
    [InlineData("We spoke with Maya R. Okafor and staff.", "Maya R. Okafor")]
    [InlineData("We spoke with Maya Rose Okafor and staff.", "Maya Rose Okafor")]
    [InlineData("It was Maya\nOkafor's turn.", "Maya\nOkafor")]
    [InlineData("Jose Hernandez was absent.", "Jose Hernandez")]
    [InlineData("José Hernández was absent.", "José Hernández")]
    [InlineData("Liam O'Brien's bus was late.", "Liam O'Brien")]
    [InlineData("Liam O’Brien’s bus was late.", "Liam O’Brien")]
    public void Detect_RosterNameVariant_SuggestsStudentNameUnderFerpa(string text, string expected)
    {
        var found = Detect(text);

        Assert.Contains((expected, RedactionCategory.StudentName, ExemptionCatalog.Ferpa), found);
    }

    [Fact]
    public void Detect_SpansPointIntoTheText()
    {
        const string text = "Dear Mrs. Grace Okafor, about student ID 4410023 ...";
        var suggestions = Detector.Detect(text).Suggestions;

        Assert.All(suggestions, s => Assert.Equal(s.Text, text[s.Start..s.End]));
        Assert.Contains(suggestions, s => s is { Text: "Grace Okafor", Category: RedactionCategory.GuardianName });
        Assert.Contains(suggestions, s => s is { Text: "4410023", Category: RedactionCategory.StudentId });
    }

    /// <summary>OCR of a blurred scan puts a space after a dot or dash inside a phone number; it is still one number.</summary>
    [Theory]
    [InlineData("Please call Elijah Bailey at 856.742. 3681 or e-mail", "856.742. 3681")]
    [InlineData("Her mother can be reached at 413-555- 0142 after six.", "413-555- 0142")]
    public void Detect_PhoneNumberSplitByOcr_IsFoundWhole(string text, string expected)
    {
        Assert.Contains(Detect(text), f => f.Text == expected && f.Category == RedactionCategory.PhoneNumber);
    }

    [Fact]
    public void Detect_StructuredIdentifiers_AreFound()
    {
        var found = Detect("""
            Parent: Chidi Okafor, cell 413-555-0142, chidi.okafor@gmail.com, 17 Linden St.
            SSN 031-44-9012. DOB: 03/14/2012. Student ID: S8812345.
            """);

        Assert.Contains(("413-555-0142", RedactionCategory.PhoneNumber, ExemptionCatalog.Ferpa), found);
        Assert.Contains(("chidi.okafor@gmail.com", RedactionCategory.PersonalEmail, ExemptionCatalog.Ferpa), found);
        Assert.Contains(found, f => f.Text.StartsWith("17 Linden St", StringComparison.Ordinal) && f.Category == RedactionCategory.HomeAddress);
        Assert.Contains(found, f => f is { Text: "031-44-9012", Category: RedactionCategory.SocialSecurityNumber });
        Assert.Contains(found, f => f is { Text: "03/14/2012", Category: RedactionCategory.DateOfBirth });
        Assert.Contains(found, f => f is { Text: "S8812345", Category: RedactionCategory.StudentId });
    }

    [Fact]
    public void Detect_StaffHomeContactAndFamily_CiteClauses26oAnd26p()
    {
        var found = Detect("Ms. Daniels (teacher) can be reached at home phone (413) 555-0199. Her husband Robert Daniels will pick up the keys.");

        Assert.Contains(("(413) 555-0199", RedactionCategory.StaffHomeContact, ExemptionCatalog.EmployeeHomeContact), found);
        Assert.Contains(("Robert Daniels", RedactionCategory.StaffFamilyMember, ExemptionCatalog.EmployeeFamily), found);
    }

    [Fact]
    public void Detect_WorkEmailAndOrdinaryNumbers_AreNotSuggested()
    {
        var found = Detect("Contact principal@westfield.k12.ma.us about the 2024-2025 budget of 1,250,000 dollars, line 1234567.");

        Assert.Empty(found);
    }

    [Fact]
    public void Detect_EducationRecordTerms_AreFlaggedForReview()
    {
        var result = Detector.Detect("The team reviewed the IEP and the 504 plan after the suspension.");

        Assert.Equal(["IEP", "504 plan", "suspension"], result.ReviewFlags.Select(f => f.Term));
    }
}
