using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Suggests redactions in a text: roster matches (<see cref="RosterMatcher"/>), identifiers, dates of birth and student
/// names found by their context (PiiDetector.Context.cs), and structured identifiers found by pattern. Every suggestion names the exemption a person is most likely to confirm:
/// student and guardian identifiers are FERPA PII (34 CFR 99.3 (a)–(e)) under cl.26(a); a staff member's home contact
/// details are cl.26(o) and their family members cl.26(p); other private contact details default to cl.26(c).
/// Pure and thread-safe once built.
/// </summary>
public sealed partial class PiiDetector
{
    private readonly RosterMatcher _roster;
    private readonly Regex[] _studentIds;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _personalDomains;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _publicDetails;
    private readonly DateOnly?[] _birthdays;
    private readonly bool _rosterIsEmpty;

    public PiiDetector(Roster? roster, RedactionOptions options)
    {
        _roster = new RosterMatcher(roster);
        _rosterIsEmpty = roster is null || roster.Students.Count == 0;
        _birthdays = roster?.Students.Select(s => ParseBirthday(s.DateOfBirth)).ToArray() ?? [];
        // A blank entry (an environment variable left empty, as in ops/env.example) is no pattern and no detail.
        _studentIds = options.StudentIdPatterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2))).ToArray();
        _personalDomains = new HashSet<string>(options.PersonalEmailDomains, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _publicDetails = new HashSet<string>(options.PublicContactDetails.Where(d => !string.IsNullOrWhiteSpace(d)).SelectMany(PublicKeys), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A roster's date of birth as the district's export writes it (ISO or US order); none if it cannot be read.</summary>
    private static DateOnly? ParseBirthday(string value) =>
        DateOnly.TryParseExact(value.Trim(), ["yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy", "yyyy/M/d", "M-d-yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : null;

    /// <summary>Each pass runs inside an activity of <see cref="Tracing.Detection"/> named after it.</summary>
    public DetectionResult Detect(string text)
    {
        var flags = new List<ReviewFlag>();
        var pass = Tracing.Detection.StartActivity("roster");
        var hits = new List<RosterHit>();
        _roster.Scan(text, hits, flags);
        var found = new List<RedactionSuggestion>(hits.Count + 8);
        foreach (var hit in hits)
        {
            found.Add(new RedactionSuggestion(hit.Start, hit.End, hit.Category, ExemptionCatalog.Ferpa, text[hit.Start..hit.End], RosterReason(hit.Category)));
        }
        var rosterHits = found.Count;
        pass = Tracing.Detection.Next(pass, "student id");

        foreach (var pattern in _studentIds)
        {
            foreach (Match match in pattern.Matches(text))
            {
                var group = match.Groups["id"].Success ? match.Groups["id"] : match.Groups[0];
                Add(found, text, group.Index, group.Index + group.Length, RedactionCategory.StudentId, ExemptionCatalog.Ferpa, "student ID format");
            }
        }
        FindAnnouncedIdentifiers(text, found, rosterHits);
        pass = Tracing.Detection.Next(pass, "ssn");
        // EnumerateMatches: no Match object per hit; these passes run over every record.
        foreach (var match in SsnPattern().EnumerateMatches(text))
        {
            var plainDigits = match.Length == 9;
            if (!plainDigits || SsnContext().IsMatch(Before(text, match.Index, 40)))
            {
                // An SSN is a personal identifier (34 CFR 99.3(d)) for a student and private for anyone else.
                Add(found, text, match.Index, match.Index + match.Length, RedactionCategory.SocialSecurityNumber,
                    NearStudent(found, rosterHits, text, match.Index) ? ExemptionCatalog.Ferpa : ExemptionCatalog.Privacy, "social security number");
            }
        }
        pass = Tracing.Detection.Next(pass, "dob");
        FindCuedDatesOfBirth(text, found);
        FindRosterDatesOfBirth(text, hits, found);
        pass = Tracing.Detection.Next(pass, "phone");
        foreach (var match in PhonePattern().EnumerateMatches(text))
        {
            AddContact(found, rosterHits, text, match.Index, match.Length, RedactionCategory.PhoneNumber, "phone number");
        }
        pass = Tracing.Detection.Next(pass, "email");
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            if (EmailAddressAround(text, at) is var (index, length, domainLength) && _personalDomains.Contains(text.AsSpan(at + 1, domainLength)))
            {
                AddContact(found, rosterHits, text, index, length, RedactionCategory.PersonalEmail, "personal e-mail address");
            }
        }
        pass = Tracing.Detection.Next(pass, "street");
        foreach (var match in StreetAddressPattern().EnumerateMatches(text))
        {
            AddContact(found, rosterHits, text, match.Index, match.Length, RedactionCategory.HomeAddress, "street address");
        }
        pass = Tracing.Detection.Next(pass, "student context");
        FindStudentsInContext(text, found);
        pass = Tracing.Detection.Next(pass, "family");
        foreach (Match match in FamilyMemberPattern().Matches(text))
        {
            // cl.26(p): the names of a public employee's family members. A roster match over the same words wins, and
            // a son or daughter in a passage about school is a student (FERPA), as a person reading it would take them.
            var name = match.Groups["name"];
            var relation = match.Groups["relation"].Value.ToLowerInvariant();
            if (match.Groups["child"].Success && IsStudentChild(text, match.Index))
            {
                Add(found, text, name.Index, name.Index + name.Length, RedactionCategory.StudentName, ExemptionCatalog.Ferpa,
                    _rosterIsEmpty ? $"student name by its context ({relation}; no roster loaded)" : $"student name by its context ({relation}), not on the roster");
            }
            else
            {
                Add(found, text, name.Index, name.Index + name.Length, RedactionCategory.StaffFamilyMember, ExemptionCatalog.EmployeeFamily, $"family member ({relation})");
            }
        }

        pass = Tracing.Detection.Next(pass, "overlaps");
        var resolved = ResolveOverlaps(found);
        pass?.Dispose();
        return new DetectionResult(resolved, flags);
    }

    /// <summary>
    /// Contact details: a student's or guardian's (near a roster name) are FERPA PII; ones introduced as home, cell or
    /// personal are an employee's home contact details (cl.26(o)); the rest are private information under cl.26(c).
    /// </summary>
    private void AddContact(List<RedactionSuggestion> found, int rosterHits, string text, int index, int length, RedactionCategory category, string reason)
    {
        if (IsPublic(text.AsSpan(index, length)) || PublicOfficeContext().IsMatch(Before(text, index, 60)))
        {
            return;
        }
        if (NearStudent(found, rosterHits, text, index))
        {
            Add(found, text, index, index + length, category, ExemptionCatalog.Ferpa, $"{reason} of a student or family");
        }
        else if (HomeContext().IsMatch(Before(text, index, 60)))
        {
            Add(found, text, index, index + length, RedactionCategory.StaffHomeContact, ExemptionCatalog.EmployeeHomeContact, $"home {reason}");
        }
        else
        {
            Add(found, text, index, index + length, category, ExemptionCatalog.Privacy, reason);
        }
    }

    /// <summary>A roster name on the same line, close by: the detail belongs to that student or their family.</summary>
    private static bool NearStudent(List<RedactionSuggestion> found, int rosterHits, string text, int index)
    {
        for (var i = 0; i < rosterHits; i++)
        {
            var hit = found[i];
            var (from, to) = hit.Start < index ? (hit.End, index) : (index, hit.Start);
            if (to - from < 150 && text.AsSpan(from, Math.Max(0, to - from)).IndexOf('\n') < 0)
            {
                return true;
            }
        }
        return false;
    }

    private static void Add(List<RedactionSuggestion> found, string text, int start, int end, RedactionCategory category, string exemption, string reason) =>
        found.Add(new RedactionSuggestion(start, end, category, exemption, text[start..end], reason));

    /// <summary>Keeps the longest of overlapping suggestions (roster matches win ties: they were found first).</summary>
    private static List<RedactionSuggestion> ResolveOverlaps(List<RedactionSuggestion> found)
    {
        // By start, then longest first, then the order found: both sorts are stable. Insertion sort allocates nothing
        // and is fast for the usual few dozen suggestions; it is quadratic, so long records take the LINQ sort.
        IEnumerable<RedactionSuggestion> ordered = found;
        if (found.Count <= 64)
        {
            for (var i = 1; i < found.Count; i++)
            {
                var item = found[i];
                var j = i - 1;
                while (j >= 0 && SortsBefore(item, found[j]))
                {
                    found[j + 1] = found[j];
                    j--;
                }
                found[j + 1] = item;
            }
        }
        else
        {
            ordered = found.OrderBy(s => s.Start).ThenByDescending(s => s.End - s.Start);
        }
        var result = new List<RedactionSuggestion>(found.Count);
        foreach (var suggestion in ordered)
        {
            if (result.Count > 0 && suggestion.Start < result[^1].End)
            {
                var previous = result[^1];
                if (suggestion.End > previous.End && suggestion.End - suggestion.Start > previous.End - previous.Start)
                {
                    result[^1] = suggestion;
                }
                else if (suggestion.End > previous.End)
                {
                    result[^1] = previous with { End = suggestion.End, Text = previous.Text + suggestion.Text[(previous.End - suggestion.Start)..] };
                }
                continue;
            }
            result.Add(suggestion);
        }
        return result;
    }

    private static bool SortsBefore(RedactionSuggestion x, RedactionSuggestion y) =>
        x.Start < y.Start || (x.Start == y.Start && x.End - x.Start > y.End - y.Start);

    private static string RosterReason(RedactionCategory category) => category switch
    {
        RedactionCategory.StudentName => "roster student name",
        RedactionCategory.StudentId => "roster student ID",
        RedactionCategory.GuardianName => "roster guardian name",
        RedactionCategory.HomeAddress => "roster home address",
        _ => "roster " + category,
    };

    private static ReadOnlySpan<char> Before(string text, int index, int length) => text.AsSpan(Math.Max(0, index - length), Math.Min(length, index));

    /// <summary>Whether a number or address is one of the district's own (<see cref="RedactionOptions.PublicContactDetails"/>).</summary>
    private bool IsPublic(ReadOnlySpan<char> value)
    {
        // No public number or address is anywhere near 256 characters, so a longer match skips the look-up.
        if (_publicDetails.Set.Count == 0 || value.Length > 256)
        {
            return false;
        }
        Span<char> key = stackalloc char[PublicKeyLength(value.Length)];
        return _publicDetails.Contains(PublicKey(value, key));
    }

    /// <summary>
    /// The look-up keys of one configured public detail: the whole entry, its first line up to a comma (the street of an
    /// address), and each phone number in it ("413-572-6400 (fax)").
    /// </summary>
    private static List<string> PublicKeys(string detail)
    {
        var keys = new List<string>();
        foreach (var part in new[] { detail, detail.Split(',')[0] })
        {
            keys.Add(PublicKey(part, new char[PublicKeyLength(part.Length)]).ToString());
        }
        foreach (var match in PhonePattern().EnumerateMatches(detail))
        {
            var phone = detail.AsSpan(match.Index, match.Length);
            keys.Add(PublicKey(phone, new char[PublicKeyLength(phone.Length)]).ToString());
        }
        return keys;
    }

    private static int PublicKeyLength(int length) => 2 * length + 16;

    /// <summary>
    /// A number or address reduced to what identifies it, into <paramref name="buffer"/> (<see cref="PublicKeyLength"/>
    /// long): a phone number's last ten digits, so "+1 (413) 572-6403" is "413.572.6403"; otherwise its words, lower
    /// case, with street-type abbreviations spelt out, so "100 Main St." is "100 Main Street".
    /// </summary>
    private static ReadOnlySpan<char> PublicKey(ReadOnlySpan<char> value, Span<char> buffer)
    {
        var digits = 0;
        foreach (var c in value)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }
        var length = 0;
        if (digits is 10 or 11 && !value.ContainsAny(AsciiLetters))
        {
            buffer[length++] = '#';
            var countryCode = digits - 10;
            foreach (var c in value)
            {
                if (char.IsAsciiDigit(c) && countryCode-- <= 0)
                {
                    buffer[length++] = c;
                }
            }
            return buffer[..length];
        }
        var word = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && char.IsLetterOrDigit(value[i]))
            {
                buffer[length++] = char.ToLowerInvariant(value[i]);
                continue;
            }
            if (StreetTypeNames.TryGetValue(buffer[word..length], out var full))
            {
                full.CopyTo(buffer[word..]);
                length = word + full.Length;
            }
            word = length;
        }
        return buffer[..length];
    }

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> StreetTypeNames = new Dictionary<string, string>
    {
        ["st"] = "street", ["str"] = "street", ["ave"] = "avenue", ["av"] = "avenue", ["rd"] = "road", ["dr"] = "drive", ["ln"] = "lane",
        ["ct"] = "court", ["blvd"] = "boulevard", ["pl"] = "place", ["ter"] = "terrace", ["terr"] = "terrace", ["cir"] = "circle",
        ["pkwy"] = "parkway", ["hwy"] = "highway", ["sq"] = "square",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// A number or address introduced as an office's ("call the main office at", "district office:", "ligue para a
    /// secretaria no"): the district's own, public, even if the setting does not list it.
    /// </summary>
    [GeneratedRegex(@"(?i)(?<![\p{L}\p{N}])(?:(?:main|district|central|front|school|business|guidance|attendance|superintendent'?s|principal'?s)\s+office|switchboard|oficina\s+(?:central|principal|de\s+la\s+escuela)|secretaria(?:\s+da\s+escola)?)(?:\s+(?:line|number|phone|telephone|fax))?(?:\s*(?:is|at|on|no|en|:|-|–))*\s*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex PublicOfficeContext();

    [GeneratedRegex(@"(?<![\d-])\d{3}([- ]?)\d{2}\1\d{4}(?![\d-])", RegexOptions.CultureInvariant)]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"(?i)\b(?:ssn|s\.s\.n\.|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SsnContext();

    // A dash or a dot between the groups may have a space after it: OCR of a blurred scan reads "856.742.3681" as
    // "856.742. 3681".
    [GeneratedRegex(@"(?<![\w-])(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\d{3}(?:[-.] ?| ))\d{3}(?:[-.] ?| )\d{4}(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    /// <summary>
    /// The e-mail address around the "@" at <paramref name="at"/>, found outwards from it: a pattern that starts with
    /// the local part would try a match at every letter of the text, and this runs on every record.
    /// </summary>
    private static (int Index, int Length, int DomainLength)? EmailAddressAround(string text, int at)
    {
        var start = at;
        while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '_' or '%' or '+' or '-'))
        {
            start--;
        }
        var end = at + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '-'))
        {
            end++;
        }
        while (end > at + 1 && text[end - 1] is '.' or '-')
        {
            end--; // a full stop after an address ends the sentence, not the domain
        }
        var domain = text.AsSpan(at + 1, end - at - 1);
        var dot = domain.LastIndexOf('.');
        if (start < at && dot > 0 && domain.Length - dot - 1 >= 2 && !domain[(dot + 1)..].ContainsAnyExcept(AsciiLetters))
        {
            return (start, end - start, domain.Length);
        }
        return null;
    }

    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // Words of a street name on one line: a capitalised word or an initial ("N."), so "Grade 8 Team.\nDr. Abernathy" is no address.
    [GeneratedRegex(@"\b\d{1,5}[ \t]+(?:(?:[A-Z][a-z]+|[A-Z]\.)[ \t]+){1,3}(?:(?:Street|Avenue|Road|Drive|Lane|Court|Boulevard|Way|Place|Terrace|Circle|Parkway|Highway)\b|(?:St|Ave|Rd|Dr|Ln|Ct|Blvd|Pl|Ter|Cir|Pkwy|Hwy)\b\.?)(?:,?\s+(?:Apt|Apartment|Unit|Suite|#)\.?\s*[A-Za-z0-9-]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex StreetAddressPattern();

    [GeneratedRegex(@"(?i:home|cell|mobile|personal|residence|private|lives at|resides at)", RegexOptions.CultureInvariant)]
    private static partial Regex HomeContext();

    [GeneratedRegex(@"\b(?<relation>(?i:wife|husband|spouse|partner|(?<child>son|daughter|child|stepson|stepdaughter)))(?:,|\s+(?:is\s+|named\s+)?)\s*(?<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex FamilyMemberPattern();

}
