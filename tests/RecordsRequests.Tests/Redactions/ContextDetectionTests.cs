using RecordsRequests.Features.Redactions;

namespace RecordsRequests.Tests.Redactions;

/// <summary>
/// Detection by context, as a person reads a letter: identifiers announced by the words before them whatever their
/// format, dates of birth however introduced, students the roster does not list, in English, Spanish and Portuguese,
/// with OCR noise; and what a person would never redact: the district's own numbers, meeting dates, "Student Council".
/// </summary>
public sealed class ContextDetectionTests
{
    private static readonly Roster Roster = Roster.Load(Path.Combine(AppContext.BaseDirectory, "Redactions", "TestData", "roster.csv"));

    /// <summary>The demo district's public details, as in appsettings.json's district profile.</summary>
    private static readonly RedactionOptions District = new()
    {
        PublicContactDetails = ["100 Main Street, Westfield, MA 01085", "413-572-6403", "413-572-6400 (fax)"],
    };

    private static readonly PiiDetector WithRoster = new(Roster, District);
    private static readonly PiiDetector WithoutRoster = new(null, District);

    private static IReadOnlyList<RedactionSuggestion> Detect(string text, bool roster = false)
    {
        var suggestions = (roster ? WithRoster : WithoutRoster).Detect(text).Suggestions;
        Assert.All(suggestions, s => Assert.Equal(s.Text, text[s.Start..s.End]));
        return suggestions;
    }

    [Fact]
    public void Detect_TheIssueLetter_FindsTheStudentIdAndLeavesTheDistrictNumber()
    {
        const string letter = "Dear Ms. Vandermeer,\nThe transcript for student ID 2024-55817 is attached. Questions: call the district office at 413-572-6403.\n";

        var found = Detect(letter);

        var only = Assert.Single(found);
        Assert.Equal(("2024-55817", RedactionCategory.StudentId, ExemptionCatalog.Ferpa), (only.Text, only.Category, only.ExemptionCode));
    }

    [Theory]
    [InlineData("The transcript for student ID 2024-55817 is attached.", "2024-55817")]
    [InlineData("Student number: WPS-000123 was entered twice.", "WPS-000123")]
    [InlineData("Student #: 88-1234 was late.", "88-1234")]
    [InlineData("the student's ID is S8812345.", "S8812345")]
    [InlineData("SASID 1029384756 appears on the tardy slip.", "1029384756")]
    [InlineData("State Assigned Student Identifier (SASID): 1029384756", "1029384756")]
    [InlineData("LASID 44-10023", "44-10023")]
    [InlineData("pupil number 55 817 204", "55 817 204")]
    [InlineData("Her locker number is 1142.", "1142")]
    [InlineData("locker # B-214 was searched", "B-214")]
    [InlineData("Her lunch PIN 55817 was shared.", "55817")]
    [InlineData("lunch account number 40213", "40213")]
    [InlineData("and her bus pass # BP-20931.", "BP-20931")]
    [InlineData("Su número de estudiante es 2024-55817.", "2024-55817")]
    [InlineData("ID del estudiante: 4419876", "4419876")]
    [InlineData("Matrícula: 2024-55817.", "2024-55817")]
    [InlineData("número de matrícula 88123", "88123")]
    [InlineData("número de casillero 214", "214")]
    [InlineData("pase de autobús 5521", "5521")]
    [InlineData("o número do aluno é 2024-55817", "2024-55817")]
    [InlineData("ID do aluno: S1234567", "S1234567")]
    [InlineData("número do armário 318", "318")]
    [InlineData("passe de ônibus 7731", "7731")]
    [InlineData("student ID 2O24-558l7 (OCR)", "2O24-558l7")]
    [InlineData("SASID l029384756", "l029384756")]
    [InlineData("student ID 2024 - 55817 attached", "2024 - 55817")]
    [InlineData("student ID\n2024-55817", "2024-55817")]
    // What OCR of the benchmark's blurred, speckled scans made of the cue: a '#' read as '+', a speck read as ':' or '|'.
    [InlineData("and her bus: pass + BP-95567.", "BP-95567")]
    [InlineData("Su número|\" de estudiante es 59 748 165 y", "59 748 165")]
    public void Detect_IdentifierAnnouncedByItsContext_IsAStudentIdWhateverItsFormat(string text, string expected)
    {
        var found = Detect(text);

        Assert.Contains(found, s => s is { Category: RedactionCategory.StudentId, ExemptionCode: ExemptionCatalog.Ferpa } && s.Text == expected);
    }

    [Theory]
    [InlineData("The hearing officer assigned case number 2024-0117 to the appeal of the student.", "2024-0117", ExemptionCatalog.Ferpa)]
    [InlineData("BSEA Case No. 24-117 concerns a grade 5 IEP.", "24-117", ExemptionCatalog.Ferpa)]
    [InlineData("Ref. case # 2025-0042 about the parking lot.", "2025-0042", ExemptionCatalog.Privacy)]
    [InlineData("El número del caso es 2024-117.", "2024-117", ExemptionCatalog.Privacy)]
    [InlineData("número do processo 0012345-67.2024 do aluno", "0012345-67.2024", ExemptionCatalog.Ferpa)]
    public void Detect_CaseNumber_IsFoundAndCitesFerpaOnlyAboutAStudent(string text, string expected, string exemption)
    {
        var found = Detect(text);

        Assert.Contains(found, s => s is { Category: RedactionCategory.CaseNumber } && s.Text == expected && s.ExemptionCode == exemption);
    }

    [Theory]
    [InlineData("Student ID cards will be handed out on September 4, 2026 in Room 12.")]
    [InlineData("The locker room 12 is closed.")]
    [InlineData("Case studies from grade 5 were shared.")]
    [InlineData("Line item 2024-117 in the amount of 1,250,000 dollars was approved.")]
    [InlineData("Student number 5 in line.")]
    [InlineData("Bus 14 leaves at 7:05.")]
    [InlineData("La matrícula de 2026 está abierta.")]
    public void Detect_NumberWithoutAnIdentifierCue_IsNotSuggested(string text)
    {
        Assert.Empty(Detect(text));
    }

    [Theory]
    [InlineData("DOB: 03/14/2012", "03/14/2012")]
    [InlineData("D.O.B. 3/14/12 per the form", "3/14/12")]
    [InlineData("d.o.b.: 2012-03-14", "2012-03-14")]
    [InlineData("The student was born on March 14, 2012 at Baystate.", "March 14, 2012")]
    [InlineData("born 14 March 2012", "14 March 2012")]
    [InlineData("date of birth, as listed on the intake form, 14-Mar-2012", "14-Mar-2012")]
    [InlineData("Date of Birth (mm/dd/yyyy): 03 /14/2012", "03 /14/2012")]
    [InlineData("Date of birth\n03.14.2012", "03.14.2012")]
    [InlineData("birth date: Mar. 14th, 2012", "Mar. 14th, 2012")]
    [InlineData("Birthday: 3/14/2012", "3/14/2012")]
    [InlineData("DOB: O3/l4/2012", "O3/l4/2012")]
    [InlineData("Fecha de nacimiento: 14/03/2012", "14/03/2012")]
    [InlineData("mi hija nació el 14 de marzo de 2012 en Holyoke", "14 de marzo de 2012")]
    [InlineData("nacido en Boston el 14 de marzo del 2012", "14 de marzo del 2012")]
    [InlineData("nacida el 14-mar-2012", "14-mar-2012")]
    [InlineData("Data de nascimento: 14 de março de 2012", "14 de março de 2012")]
    [InlineData("nascido em 14/03/2012", "14/03/2012")]
    [InlineData("a minha filha nasceu em 14.03.2012", "14.03.2012")]
    [InlineData("nascida em 4 de setembro de 2011", "4 de setembro de 2011")]
    [InlineData("Date of. birth of the child: 5 March 2011, according to", "5 March 2011")]
    public void Detect_DateOfBirthHoweverIntroduced_IsFound(string text, string expected)
    {
        var found = Detect(text);

        Assert.Contains(found, s => s is { Category: RedactionCategory.DateOfBirth, ExemptionCode: ExemptionCatalog.Ferpa } && s.Text == expected);
    }

    [Theory]
    [InlineData("The meeting is on March 14, 2026.")]
    [InlineData("Several teachers born in the 1990s joined this year.")]
    [InlineData("She was born in March 2012.")]
    [InlineData("He was born in 1990.")]
    [InlineData("The birthday party is on Friday, May 8, 2026.")]
    [InlineData("Minutes of the 03/02/2026 meeting were accepted as written.")]
    [InlineData("La reunión de padres será el 12 de mayo de 2026.")]
    [InlineData("A reunião será no dia 12 de maio de 2026.")]
    [InlineData("DOB: 02/30/2012")]
    public void Detect_DateThatIsNotADateOfBirth_IsNotSuggested(string text)
    {
        Assert.DoesNotContain(Detect(text, roster: true), s => s.Category == RedactionCategory.DateOfBirth);
    }

    [Theory]
    [InlineData("Records for Maya Okafor (3/14/2012) were forwarded.", "3/14/2012")]
    [InlineData("Maya Okafor: enrolled since September; 2012-03-14 on file.", "2012-03-14")]
    [InlineData("OKAFOR, MAYA  March 14, 2012  Grade 6", "March 14, 2012")]
    [InlineData("Liam O'Brien\n30/06/2013", "30/06/2013")]
    public void Detect_RosteredStudentsDateOfBirth_IsFoundWithoutACue(string text, string expected)
    {
        var found = Detect(text, roster: true);

        Assert.Contains(found, s => s is { Category: RedactionCategory.DateOfBirth, ExemptionCode: ExemptionCatalog.Ferpa } && s.Text == expected);
    }

    [Theory]
    [InlineData("Maya Okafor attended the assembly on 3/15/2012.")] // not her birthday
    [InlineData("The form dated 3/14/2012 was filed.")] // her birthday, but she is not named
    [InlineData("Liam O'Brien attended on 3/14/2012.")] // another student's birthday
    public void Detect_DateThatIsNotTheNamedStudentsBirthday_IsNotSuggested(string text)
    {
        Assert.DoesNotContain(Detect(text, roster: true), s => s.Category == RedactionCategory.DateOfBirth);
    }

    [Theory]
    [InlineData("My son Lucas Abara is in grade 4.", "Lucas Abara")]
    [InlineData("I am the mother of Ana Ferreira and request the report.", "Ana Ferreira")]
    [InlineData("I am the father of Ana Ferreira.", "Ana Ferreira")]
    [InlineData("The IEP team met about Noah Quintero's reading goals.", "Noah Quintero")]
    [InlineData("The IEP for Noah Quintero was signed.", "Noah Quintero")]
    [InlineData("New student Emma Rahman joined Room 12 on Monday.", "Emma Rahman")]
    [InlineData("Zoe Moreau (grade 7) has a 504 plan for testing.", "Zoe Moreau")]
    [InlineData("_ Zoe Moreau (grade.7) has a 504 plan for testing.", "Zoe Moreau")]
    [InlineData("Student Name: Aria Tavares", "Aria Tavares")]
    [InlineData("Liam Nakamura, a fifth grader, lost his coat.", "Liam Nakamura")]
    [InlineData("Grade 6 student Chloe Lindqvist won.", "Chloe Lindqvist")]
    [InlineData("Omar Mwangi is in grade 3.", "Omar Mwangi")]
    [InlineData("Omar Mwangi has an IEP.", "Omar Mwangi")]
    [InlineData("Omar Mwangi's 504 plan was updated.", "Omar Mwangi")]
    [InlineData("His daughter Emma Rahman is in grade 3 at Franklin School.", "Emma Rahman")]
    [InlineData("Estimada directora: mi hija Sofía Quintero, alumna de quinto grado, está enferma.", "Sofía Quintero")]
    [InlineData("Soy la madre de Mateo Pacheco.", "Mateo Pacheco")]
    [InlineData("El estudiante Diego Castellanos llegó tarde.", "Diego Castellanos")]
    [InlineData("Nombre del estudiante: Lucía Echeverría", "Lucía Echeverría")]
    [InlineData("Prezada diretora, o meu filho João Barbosa, aluno do terceiro ano, está doente.", "João Barbosa")]
    [InlineData("Sou a mãe de Ana Carvalho.", "Ana Carvalho")]
    [InlineData("Nome do aluno: Pedro Tavares", "Pedro Tavares")]
    public void Detect_NameBesideStudentContext_NotOnTheRoster_IsFlaggedAsAStudentName(string text, string expected)
    {
        var found = Detect(text, roster: true);

        var name = Assert.Single(found, s => s.Category == RedactionCategory.StudentName);
        Assert.Equal(expected, name.Text);
        Assert.Equal(ExemptionCatalog.Ferpa, name.ExemptionCode);
        Assert.Contains("not on the roster", name.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_NameBesideStudentContext_WithoutARoster_SaysNoRosterIsLoaded()
    {
        var name = Assert.Single(Detect("My son Lucas Abara is in grade 4."));

        Assert.Equal(RedactionCategory.StudentName, name.Category);
        Assert.Contains("no roster loaded", name.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_RosteredNameBesideStudentContext_StaysARosterMatch()
    {
        var name = Assert.Single(Detect("My daughter Maya Okafor is in grade 6.", roster: true));

        Assert.Equal(("Maya Okafor", "roster student name"), (name.Text, name.Reason));
    }

    [Theory]
    [InlineData("The Student Council met on Monday.")]
    [InlineData("Student Services will call on Tuesday.")]
    [InlineData("Principal Harmon's IEP training is in June.")]
    [InlineData("Ms. Vandermeer (grade 5 teacher) presented.")]
    [InlineData("Westfield High School students visited the Grade 8 Team.")]
    [InlineData("The student Handbook was revised.")]
    [InlineData("Every student on Tuesday, March 3 took the test.")]
    [InlineData("Her son Robert Daniels will pick up the keys.")]
    [InlineData("La reunión de padres será en la Escuela Franklin.")]
    public void Detect_CapitalisedWordsThatAreNotAStudentsName_AreNotStudentNames(string text)
    {
        Assert.DoesNotContain(Detect(text, roster: true), s => s.Category == RedactionCategory.StudentName);
    }

    [Fact]
    public void Detect_BlankSettingsEntries_AreIgnored()
    {
        // An environment variable left empty binds an empty pattern, which would match between every two characters.
        var detector = new PiiDetector(null, new RedactionOptions { StudentIdPatterns = [""], PublicContactDetails = [" "] });

        Assert.Equal(["413-555-0142"], detector.Detect("Call 413-555-0142 tonight.").Suggestions.Select(s => s.Text));
    }

    [Theory]
    [InlineData("Call 413-572-6403 with questions.")]
    [InlineData("Call (413) 572-6403 with questions.")]
    [InlineData("Call +1 413 572 6403 with questions.")]
    [InlineData("Fax 413.572.6400 today.")]
    [InlineData("Send it to 100 Main St., Westfield.")]
    [InlineData("Send it to 100 Main Street.")]
    [InlineData("Please call the main office at 413-555-0100.")]
    [InlineData("Ligue para a secretaria no 413-555-0100.")]
    public void Detect_DistrictsOwnPublicNumbersAndAddresses_AreNeverSuggested(string text)
    {
        Assert.Empty(Detect(text));
    }

    [Theory]
    [InlineData("Call 413-555-0142 tonight.", "413-555-0142")]
    [InlineData("The main office called the parent at 413-555-0142.", "413-555-0142")]
    [InlineData("The family moved to 17 Linden Street.", "17 Linden Street")]
    public void Detect_OtherNumbersAndAddresses_AreStillSuggested(string text, string expected)
    {
        Assert.Contains(Detect(text), s => s.Text == expected);
    }
}
