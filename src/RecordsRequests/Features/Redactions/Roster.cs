using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// The district's roster, read from a CSV export. Columns are found by header name, case-insensitively:
/// student_id, first_name, middle_name, last_name, date_of_birth (or dob), address, and any column whose name starts
/// with "guardian" (guardian1, guardian_2_name, ...). Spaces, hyphens and underscores in headers are ignored.
/// </summary>
public sealed class Roster
{
    public IReadOnlyList<RosterStudent> Students { get; }

    /// <summary>Each header of the file and what it was understood as (null: not used), in the file's order.</summary>
    public IReadOnlyList<(string Header, string? Meaning)> Columns { get; }

    public Roster(IReadOnlyList<RosterStudent> students, IReadOnlyList<(string Header, string? Meaning)>? columns = null)
    {
        Students = students;
        Columns = columns ?? [];
    }

    public static Roster Load(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    public static Roster Read(TextReader reader)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = true, TrimOptions = TrimOptions.Trim, BadDataFound = null };
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new DomainException("The roster has no header row.");
        }
        var headers = csv.HeaderRecord.Select(Key).ToArray();
        int Column(params string[] names) => Array.FindIndex(headers, h => names.Contains(h));
        var id = Column("studentid", "id", "sasid", "lasid");
        var first = Column("firstname", "first", "givenname");
        var middle = Column("middlename", "middle");
        var last = Column("lastname", "last", "surname", "familyname");
        var dob = Column("dateofbirth", "dob", "birthdate");
        var address = Column("address", "homeaddress", "street", "streetaddress");
        var guardians = headers.Select((h, i) => (h, i)).Where(x => x.h.StartsWith("guardian", StringComparison.Ordinal) || x.h.StartsWith("parent", StringComparison.Ordinal))
            .Select(x => x.i).ToArray();
        if (first < 0 || last < 0)
        {
            throw new DomainException("The roster needs first_name and last_name columns.");
        }
        string Field(int index) => index < 0 ? "" : (csv.GetField(index) ?? "").Trim();

        var students = new List<RosterStudent>();
        while (csv.Read())
        {
            students.Add(new RosterStudent(Field(id), Field(first), Field(middle), Field(last), Field(dob),
                guardians.Select(Field).Where(g => g.Length > 0).ToList(), Field(address)));
        }
        var meanings = new Dictionary<int, string>
        {
            [first] = "First name",
            [last] = "Last name",
        };
        foreach (var (index, meaning) in new[] { (id, "Student ID"), (middle, "Middle name"), (dob, "Date of birth"), (address, "Home address") }.Where(c => c.Item1 >= 0))
        {
            meanings[index] = meaning;
        }
        foreach (var index in guardians)
        {
            meanings[index] = "Parent or guardian";
        }
        return new Roster(students, csv.HeaderRecord.Select((header, index) => (header, meanings.GetValueOrDefault(index))).ToList());
    }

    private static string Key(string header) =>
        new(header.Where(c => c is not (' ' or '_' or '-')).Select(char.ToLowerInvariant).ToArray());
}
