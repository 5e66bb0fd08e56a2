using System.Globalization;
using System.Text;

namespace RecordsRequests.Features.Redactions;

/// <summary>An identifier the generator planted, with its span: the ground truth for recall and precision.</summary>
public sealed record PlantedIdentifier(int Start, int End, RedactionCategory Category);

public sealed record GeneratedDocument(string Text, IReadOnlyList<PlantedIdentifier> Planted);

/// <summary>
/// A deterministic generator (same seed, same output) of a student roster and school-like documents (incident notes,
/// attendance letters, e-mail threads, meeting minutes) with planted student identifiers in the forms people write
/// them, and look-alike text that must NOT be redacted (staff names, meeting dates, budget figures, district
/// addresses and e-mail). Used by <c>ops/records redact bench</c>; never by the application itself.
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
    ];

    /// <summary>The district's own public address and main number that the filler text mentions.</summary>
    public static readonly IReadOnlyList<string> DistrictContactDetails = ["100 Main Street", "413-572-6403"];

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
        void Plant(string value, RedactionCategory category)
        {
            planted.Add(new PlantedIdentifier(text.Length, text.Length + value.Length, category));
            text.Append(value);
        }

        Plain(Pick(["INCIDENT REPORT", "Attendance letter", "Re: meeting follow-up", "Minutes of the school council", "Counselor note"]) + "\n\n");
        for (var p = 0; p < paragraphs; p++)
        {
            var student = roster.Students[_random.Next(roster.Students.Count)];
            switch (_random.Next(8))
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

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
