using System.Globalization;
using System.Text;

using RecordsRequests.Features.Redactions;

namespace RecordsRequests.TestSupport;

/// <summary>
/// A deterministic generator (same seed, same output) of a student roster and school-like documents (incident notes,
/// attendance letters, e-mail threads, meeting minutes, letters from families in Spanish and Portuguese) with planted
/// student identifiers in the forms people write them (IDs in any format announced by their context, locker, lunch and
/// bus pass numbers, case numbers, dates of birth however introduced, students the roster does not list, some with OCR
/// noise), and look-alike text that must NOT be redacted (staff names, meeting dates, budget figures, the district's
/// public numbers and addresses, "Student Council"). Used by <c>ops/records redact bench</c>; never by the application itself.
/// </summary>
public sealed class SchoolDocumentGenerator
{
    private static readonly string[] FirstNames =
    [
        "Maya", "Liam", "Olivia", "Noah", "Emma", "Lucas", "Ava", "Mason", "Sophia", "Ethan", "Isabella", "Logan", "Mia", "Aiden",
        "Amelia", "Elijah", "Harper", "James", "Evelyn", "Benjamin", "Abigail", "Jacob", "Emily", "Michael", "Ella", "Daniel",
        "Aaliyah", "Jayden", "Chloe", "Mateo", "Camila", "Sebastian", "Zoe", "Carter", "Nora", "Owen", "Lily", "Wyatt", "Hannah",
        "Julian", "Layla", "Levi", "Riley", "Isaac", "Aria", "Gabriel", "Scarlett", "Anthony", "Victoria", "Dylan", "Madison",
        "Leo", "Luna", "Lincoln", "Grace", "Jaxon", "Penelope", "Asher", "Stella", "Christopher", "Hazel", "Josiah", "Aurora",
        "Andrew", "Savannah", "Thomas", "Audrey", "Joshua", "Brooklyn", "Ezra", "Bella", "Hudson", "Claire", "Charles", "Skylar",
        "Caleb", "Lucy", "Isaiah", "Paisley", "Ryan", "Anna", "Nathan", "Caroline", "Adrian", "Nova", "Christian", "Genesis",
        "Miles", "Kennedy", "Eli", "Samantha", "Nolan", "Maya-Rose", "Aaron", "Naomi", "Jose", "Ximena", "Chidi", "Amara", "Siobhan",
    ];

    private static readonly string[] LastNames =
    [
        "Okafor", "Hernandez", "O'Brien", "Nguyen", "Patel", "Kowalski", "Rossi", "Smith", "Johnson", "Williams", "Brown", "Garcia",
        "Miller", "Davis", "Rodriguez", "Martinez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
        "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
        "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
        "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz",
        "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
        "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders",
        "Dubois", "Fitzgerald", "Sullivan", "McCarthy", "Byrne", "Santos", "Pereira", "Silva", "Costa", "Haddad", "Yilmaz", "Novak",
    ];

    private static readonly string[] Streets = ["Linden", "Maple", "Birch", "Elm", "Oak", "Pleasant", "Union", "Chestnut", "Highland", "Prospect", "Summer", "Winter", "Franklin", "Washington", "Court"];
    private static readonly string[] StreetTypes = ["Street", "Avenue", "Road", "Drive", "Lane", "Court", "Terrace"];
    private static readonly string[] StaffNames = ["Principal Harmon", "Ms. Vandermeer", "Mr. Quillfeather", "Dr. Abernathy-Lowe", "Coach Brandvold", "Nurse Ellery"];
    private static readonly string[] Filler =
    [
        "The committee reviewed the transportation schedule for the spring term.",
        "Attendance across the middle school improved by four percent this quarter.",
        "Staff were reminded that the budget hearing is on 04/15/2026 at 7 p.m. in the library.",
        "The district office at 100 Main Street will be closed on Patriots' Day.",
        "Please contact info@westfield.k12.ma.us or call the main office at 413-572-6403 with questions.",
        "Line item 2024-117 in the amount of 1,250,000 dollars was approved unanimously.",
        "{staff} presented the revised cafeteria menu and the field trip policy.",
        "Room 214 will be used for make-up testing during the week of May 4.",
        "The grade 7 science fair drew more than 300 visitors.",
        "Facilities reported that the boiler replacement is on schedule.",
        "{staff} thanked the parent volunteers for the book fair.",
        "Minutes of the 03/02/2026 meeting were accepted as written.",
        "The district office fax is 413-572-6400; the superintendent's line is (413) 572-6403.",
        "Send forms to 100 Main St., Westfield, or call +1 413 572 6403.",
        "The Student Council met on Monday, March 9, 2026 with the Grade 8 Team.",
        "Several teachers born in the 1990s joined Westfield High School this year.",
        "Student Services and the Class of 2026 thanked {staff} for the Student Handbook.",
        "Student ID cards will be handed out on September 4, 2026 in Room 12.",
        "Case studies from grade 5 were shared at the IEP team training on 10/14/2025.",
        "La reunión de padres será el 12 de mayo de 2026 en la biblioteca de la Escuela Franklin.",
        "A reunião de pais será no dia 12 de maio de 2026; ligue para a secretaria no 413-572-6403.",
    ];

    /// <summary>The district's own public address and main number that the filler text mentions.</summary>
    public static readonly IReadOnlyList<string> DistrictContactDetails = ["100 Main Street, Westfield, MA 01085", "413-572-6403", "413-572-6400 (fax)"];

    /// <summary>Family names on no roster this generator makes: students a roster does not list yet (new enrolments).</summary>
    private static readonly string[] UnrosteredLastNames =
    [
        "Abara", "Castellanos", "Ferreira", "Lindqvist", "Moreau", "Okonkwo", "Quintero", "Rahman", "Sorensen", "Tavares",
        "Valdivia", "Zielinski", "Barbosa", "Carvalho", "Echeverría", "Figueroa", "Mwangi", "Nakamura", "Pacheco", "Vasquez",
    ];

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] SpanishMonths =
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    private static readonly string[] PortugueseMonths =
        ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"];

    private readonly Random _random;

    public SchoolDocumentGenerator(int seed) => _random = new Random(seed);

    public Roster MakeRoster(int students)
    {
        var taken = new HashSet<(string, string)>();
        var list = new List<RosterStudent>(students);
        while (list.Count < students)
        {
            var first = Pick(FirstNames);
            var last = Pick(LastNames);
            if (!taken.Add((first, last)))
            {
                continue;
            }
            var middle = _random.Next(3) == 0 ? "" : Pick(FirstNames);
            var dob = new DateOnly(2007, 1, 1).AddDays(_random.Next(365 * 12));
            var guardians = new List<string> { $"{Pick(FirstNames)} {last}" };
            if (_random.Next(2) == 0)
            {
                guardians.Add($"{Pick(FirstNames)} {Pick(LastNames)}");
            }
            var address = $"{_random.Next(1, 999)} {Pick(Streets)} {Pick(StreetTypes)}, Westfield MA 01085";
            list.Add(new RosterStudent((4_400_000 + list.Count).ToString(CultureInfo.InvariantCulture), first, middle, last,
                dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), guardians, address));
        }
        return new Roster(list);
    }

    public GeneratedDocument MakeDocument(Roster roster, int paragraphs)
    {
        var text = new StringBuilder();
        var planted = new List<PlantedIdentifier>();

        void Plain(string value) => text.Append(value);
        void Plant(string value, RedactionCategory category, bool? needsRoster = null)
        {
            needsRoster ??= category is RedactionCategory.StudentName or RedactionCategory.StudentId or RedactionCategory.GuardianName or RedactionCategory.HomeAddress;
            planted.Add(new PlantedIdentifier(text.Length, text.Length + value.Length, category, needsRoster.Value));
            text.Append(value);
        }

        Plain(Pick(["INCIDENT REPORT", "Attendance letter", "Re: meeting follow-up", "Minutes of the school council", "Counselor note"]) + "\n\n");
        for (var p = 0; p < paragraphs; p++)
        {
            var student = roster.Students[_random.Next(roster.Students.Count)];
            switch (_random.Next(17))
            {
                case 0:
                    Plain("On Tuesday ");
                    Plant(NameVariant(student), RedactionCategory.StudentName);
                    Plain(" (Student ID: ");
                    Plant(student.StudentId, RedactionCategory.StudentId);
                    Plain(") was sent to the office after a discipline incident in the cafeteria. ");
                    break;
                case 1:
                    Plain("Dear ");
                    Plant(student.Guardians[0], RedactionCategory.GuardianName);
                    Plain(", we are writing about ");
                    Plant(Possessive(student), RedactionCategory.StudentName);
                    Plain("'s attendance this month. ");
                    break;
                case 2:
                    Plant($"{student.LastName}, {student.FirstName}", RedactionCategory.StudentName);
                    Plain("  DOB: ");
                    Plant(DateOnly.ParseExact(student.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture), RedactionCategory.DateOfBirth);
                    Plain("  Grade 6  Homeroom 12\n");
                    break;
                case 3:
                    Plain("Please call ");
                    Plant(student.Guardians[0], RedactionCategory.GuardianName);
                    Plain(" at ");
                    Plant(Phone(), RedactionCategory.PhoneNumber);
                    Plain(" or e-mail ");
                    Plant(Email(student), RedactionCategory.PersonalEmail);
                    Plain(" before Friday. ");
                    break;
                case 4:
                    Plain("The bus will now stop at ");
                    Plant(student.Address.Split(',')[0], RedactionCategory.HomeAddress);
                    Plain(" for ");
                    Plant(student.FirstName.ToUpperInvariant() + " " + student.LastName.ToUpperInvariant(), RedactionCategory.StudentName);
                    Plain(". ");
                    break;
                case 5:
                    Plain("The 504 plan for ");
                    Plant(student.FirstName + "\n" + student.LastName, RedactionCategory.StudentName);
                    Plain(" was updated; the intake form listed SSN ");
                    Plant(Ssn(), RedactionCategory.SocialSecurityNumber);
                    Plain(" in error. ");
                    break;
                case 6:
                    Plain("Roster export row ");
                    Plant(student.StudentId, RedactionCategory.StudentId);
                    Plain(" shows ");
                    Plant(NameVariant(student), RedactionCategory.StudentName);
                    Plain(" enrolled since September. ");
                    break;
                case 8:
                    // An identifier in no configured format, announced by its context (the issue's own example first).
                    Plain(Pick(["Student ID ", "Student number: ", "SASID ", "State Assigned Student Identifier (SASID): ", "student ID number is "]));
                    Plant(AnnouncedId(), RedactionCategory.StudentId, needsRoster: false);
                    Plain(Pick([" was entered twice in the attendance system. ", " appears on the tardy slip. "]));
                    break;
                case 9:
                    Plain("Her locker number is ");
                    Plant(Ocr(_random.Next(100, 2999).ToString(CultureInfo.InvariantCulture)), RedactionCategory.StudentId, needsRoster: false);
                    Plain(Pick([", her lunch PIN ", " and the lunch account number "]));
                    Plant(Ocr(_random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture)), RedactionCategory.StudentId, needsRoster: false);
                    Plain(" and her bus pass # ");
                    Plant(FormattableString.Invariant($"BP-{_random.Next(1000, 99999)}"), RedactionCategory.StudentId, needsRoster: false);
                    Plain(". ");
                    break;
                case 10:
                    Plain(Pick(["The hearing officer assigned case number ", "BSEA Case No. ", "Ref. case # "]));
                    Plant(FormattableString.Invariant($"{_random.Next(2019, 2027)}-{_random.Next(1, 9999):D4}"), RedactionCategory.CaseNumber);
                    Plain(" to the appeal. ");
                    break;
                case 11:
                    // A date of birth however it is introduced, a few words between the cue and the date.
                    Plain(Pick(["The student was born on ", "D.O.B. ", "Date of birth of the child: ", "date of birth, as listed on the form, ", "born "]));
                    Plant(Ocr(EnglishDate(Birthday(student))), RedactionCategory.DateOfBirth);
                    Plain(", according to the intake sheet. ");
                    break;
                case 12:
                    // A rostered student's date of birth with no cue at all: the record names the student.
                    Plain("Records for ");
                    Plant($"{student.FirstName} {student.LastName}", RedactionCategory.StudentName);
                    Plain(" (");
                    Plant(EnglishDate(Birthday(student)), RedactionCategory.DateOfBirth, needsRoster: true);
                    Plain(") were forwarded to the receiving school. ");
                    break;
                case 13:
                    // A student the roster does not list (yet), named beside student context.
                    var name = UnrosteredName();
                    switch (_random.Next(5))
                    {
                        case 0:
                            Plain("My son ");
                            Plant(name, RedactionCategory.StudentName, needsRoster: false);
                            Plain(" is in grade 4 and rides the bus. ");
                            break;
                        case 1:
                            Plain("I am the mother of ");
                            Plant(name, RedactionCategory.StudentName, needsRoster: false);
                            Plain(" and I request a copy of the incident report. ");
                            break;
                        case 2:
                            Plain("The IEP team met about ");
                            Plant(name, RedactionCategory.StudentName, needsRoster: false);
                            Plain("'s reading goals. ");
                            break;
                        case 3:
                            Plain("New student ");
                            Plant(name, RedactionCategory.StudentName, needsRoster: false);
                            Plain(" joined Room 12 on Monday. ");
                            break;
                        default:
                            Plant(name, RedactionCategory.StudentName, needsRoster: false);
                            Plain(" (grade 7) has a 504 plan for testing. ");
                            break;
                    }
                    break;
                case 14:
                    // A Spanish letter from a family, as OCR reads it.
                    Plain("Estimada directora: mi hija ");
                    Plant(UnrosteredName(), RedactionCategory.StudentName, needsRoster: false);
                    Plain(", alumna de quinto grado, nació el ");
                    Plant(Ocr(LocalDate(Birthday(student), SpanishMonths)), RedactionCategory.DateOfBirth);
                    Plain(". Su número de estudiante es ");
                    Plant(AnnouncedId(), RedactionCategory.StudentId, needsRoster: false);
                    Plain(" y su fecha de nacimiento en el formulario es ");
                    Plant(Birthday(student).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), RedactionCategory.DateOfBirth);
                    Plain(". Llámeme al ");
                    Plant(Phone(), RedactionCategory.PhoneNumber);
                    Plain(". ");
                    break;
                case 15:
                    // A Portuguese letter from a family.
                    Plain("Prezada diretora, o meu filho ");
                    Plant(UnrosteredName(), RedactionCategory.StudentName, needsRoster: false);
                    Plain(", aluno do terceiro ano, nasceu em ");
                    Plant(Ocr(LocalDate(Birthday(student), PortugueseMonths)), RedactionCategory.DateOfBirth);
                    Plain(". Data de nascimento: ");
                    Plant(Birthday(student).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), RedactionCategory.DateOfBirth);
                    Plain(". Matrícula: ");
                    Plant(AnnouncedId(), RedactionCategory.StudentId, needsRoster: false);
                    Plain(". ");
                    break;
                default:
                    Plain(Pick(Filler).Replace("{staff}", Pick(StaffNames), StringComparison.Ordinal) + " ");
                    // A first name alone is not a roster match: it must not be redacted on its own.
                    Plain($"{Pick(FirstNames)} from the art club led the tour. ");
                    break;
            }
            Plain(Pick(Filler).Replace("{staff}", Pick(StaffNames), StringComparison.Ordinal) + "\n");
            if (_random.Next(4) == 0)
            {
                Plain("\n");
            }
        }
        return new GeneratedDocument(text.ToString(), planted);
    }

    private string NameVariant(RosterStudent student) => _random.Next(4) switch
    {
        0 when student.MiddleName.Length > 0 => $"{student.FirstName} {student.MiddleName[0]}. {student.LastName}",
        1 when student.MiddleName.Length > 0 => $"{student.FirstName} {student.MiddleName} {student.LastName}",
        2 => $"{student.FirstName.ToLowerInvariant()} {student.LastName.ToLowerInvariant()}",
        _ => $"{student.FirstName} {student.LastName}",
    };

    /// <summary>The planted span is the name; the caller appends the "'s" outside it.</summary>
    private static string Possessive(RosterStudent student) => $"{student.FirstName} {student.LastName}";

    private string Phone() => _random.Next(3) switch
    {
        0 => FormattableString.Invariant($"({_random.Next(200, 999)}) {_random.Next(200, 999)}-{_random.Next(0, 9999):D4}"),
        1 => FormattableString.Invariant($"{_random.Next(200, 999)}.{_random.Next(200, 999)}.{_random.Next(0, 9999):D4}"),
        _ => FormattableString.Invariant($"{_random.Next(200, 999)}-{_random.Next(200, 999)}-{_random.Next(0, 9999):D4}"),
    };

    private string Email(RosterStudent student) =>
        $"{student.Guardians[0].Split(' ')[0].ToLowerInvariant()}.{_random.Next(10, 99)}@{Pick(["gmail.com", "yahoo.com", "comcast.net", "icloud.com"])}";

    private string Ssn() => string.Create(CultureInfo.InvariantCulture, $"{_random.Next(100, 665):D3}-{_random.Next(10, 99):D2}-{_random.Next(1000, 9999):D4}");

    /// <summary>A student identifier in one of the many formats people and other systems write.</summary>
    private string AnnouncedId() => Ocr(_random.Next(5) switch
    {
        0 => FormattableString.Invariant($"{_random.Next(2019, 2027)}-{_random.Next(10000, 99999)}"),
        1 => FormattableString.Invariant($"{_random.Next(1, 9)}{_random.Next(0, 999_999_999):D9}"), // a 10-digit SASID
        2 => FormattableString.Invariant($"WPS-{_random.Next(0, 999999):D6}"),
        3 => FormattableString.Invariant($"{_random.Next(10, 99)} {_random.Next(100, 999)} {_random.Next(100, 999)}"),
        _ => FormattableString.Invariant($"S{_random.Next(1000000, 9999999)}"),
    });

    /// <summary>One time in four, what OCR makes of a printed value: O for 0, l for 1, a space around a separator.</summary>
    private string Ocr(string value)
    {
        if (_random.Next(4) != 0)
        {
            return value;
        }
        var chars = value.ToCharArray();
        var digits = Enumerable.Range(0, chars.Length).Where(i => chars[i] is '0' or '1').ToList();
        if (digits.Count > 0)
        {
            var i = digits[_random.Next(digits.Count)];
            chars[i] = chars[i] == '0' ? 'O' : 'l';
        }
        var noisy = new string(chars);
        var separator = noisy.IndexOfAny(['-', '/']);
        return separator > 0 && _random.Next(2) == 0 ? noisy.Insert(separator + 1, " ") : noisy;
    }

    private static DateOnly Birthday(RosterStudent student) => DateOnly.ParseExact(student.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string EnglishDate(DateOnly date) => _random.Next(6) switch
    {
        0 => date.ToString("M/d/yyyy", CultureInfo.InvariantCulture),
        1 => date.ToString("MM-dd-yy", CultureInfo.InvariantCulture),
        2 => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        3 => $"{EnglishMonths[date.Month - 1]} {date.Day}, {date.Year}",
        4 => $"{date.Day} {EnglishMonths[date.Month - 1]} {date.Year}",
        _ => $"{EnglishMonths[date.Month - 1][..3]}. {date.Day} {date.Year}",
    };

    private string LocalDate(DateOnly date, string[] months) => _random.Next(2) == 0
        ? $"{date.Day} de {months[date.Month - 1]} de {date.Year}"
        : date.ToString("d/M/yyyy", CultureInfo.InvariantCulture);

    private string UnrosteredName() => $"{Pick(FirstNames)} {Pick(UnrosteredLastNames)}";

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
