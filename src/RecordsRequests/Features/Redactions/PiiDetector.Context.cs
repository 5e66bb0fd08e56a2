using System.Buffers;
using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Detection by context, as a person reads: a value is an identifier because the words before it say so ("student ID",
/// "SASID", "locker", "case number", "fecha de nacimiento", "matrícula"), not because of its format; a capitalised name
/// is a student's because of the words around it ("my son", "the mother of", "(grade 7)", "'s IEP"). Cues are in
/// English, Spanish and Portuguese, the languages of the families whose letters are scanned and OCR'd. The text may
/// come from OCR in reading order: words separated by single spaces, lines by '\n', pages by '\f'.
/// </summary>
public sealed partial class PiiDetector
{
    /// <summary>How many ordinary words may stand between a cue and its value ("date of birth, as listed on the form, ...").</summary>
    private const int MaxWordsAfterCue = 6;

    /// <summary>A value announced by a cue is at most this long: longer runs are prose, not an identifier.</summary>
    private const int MaxIdentifierLength = 32;

    /// <summary>Identifiers announced by their context, whatever their format (the issue's "student ID 2024-55817").</summary>
    private static void FindAnnouncedIdentifiers(string text, List<RedactionSuggestion> found, int rosterHits)
    {
        foreach (var cue in Cues(text, IdentifierStems, IdentifierCue()))
        {
            var at = SkipToValue(text, cue.Index + cue.Length, IdentifierFiller());
            if (at < 0 || ReadIdentifier(text, at) is not { } end)
            {
                continue;
            }
            var words = cue.Value.ToLowerInvariant();
            if (cue.Groups["case"].Success)
            {
                // A case number links to a person's file: a student's (a BSEA hearing, a discipline case) where the
                // record is about a student, otherwise private information about whoever the case concerns.
                var student = NearStudent(found, rosterHits, text, cue.Index) || StudentContext().IsMatch(Around(text, cue.Index, 300));
                Add(found, text, at, end, RedactionCategory.CaseNumber, student ? ExemptionCatalog.Ferpa : ExemptionCatalog.Privacy, $"case number (after \"{words}\")");
            }
            else
            {
                // 34 CFR 99.3(d)-(f): a student number, or any identifier linked to the student, is personally identifiable.
                Add(found, text, at, end, RedactionCategory.StudentId, ExemptionCatalog.Ferpa, $"student identifier (after \"{words}\")");
            }
        }
    }

    /// <summary>A date of birth however it is introduced: "DOB", "D.O.B.", "born on", "date of birth, as listed, ...", "nació el", "nascido em".</summary>
    private static void FindCuedDatesOfBirth(string text, List<RedactionSuggestion> found)
    {
        foreach (var cue in Cues(text, BirthStems, BirthCue()))
        {
            // "Birthday party on Friday, May 8" is not a date of birth: "birthday" must be right beside its date.
            var filler = cue.Groups["near"].Success ? NoFiller() : BirthFiller();
            var at = cue.Index + cue.Length;
            for (var words = 0; words <= MaxWordsAfterCue; words++)
            {
                at = SkipSeparators(text, at);
                if (at < 0)
                {
                    break;
                }
                if (WrittenDates.TryReadAt(text, at, out var end, out _))
                {
                    Add(found, text, at, end, RedactionCategory.DateOfBirth, ExemptionCatalog.Ferpa, $"date of birth (after \"{cue.Value.ToLowerInvariant()}\")");
                    break;
                }
                var word = filler.Match(text, at);
                if (!word.Success)
                {
                    break;
                }
                at += word.Length;
            }
        }
    }

    /// <summary>
    /// A rostered student's date of birth anywhere in a record that names them, with or without a cue: the roster says
    /// whose it is. Dates that are nobody's birthday on the roster (a meeting on 03/02/2026) are left alone.
    /// </summary>
    private void FindRosterDatesOfBirth(string text, List<RosterHit> hits, List<RedactionSuggestion> found)
    {
        List<DateOnly>? birthdays = null;
        foreach (var hit in hits)
        {
            foreach (var student in hit.Students)
            {
                if (_birthdays[student] is { } birthday && !(birthdays ??= []).Contains(birthday))
                {
                    birthdays.Add(birthday);
                }
            }
        }
        foreach (var birthday in birthdays ?? [])
        {
            foreach (var (start, end, date) in WrittenDates.FindInYearOf(text, birthday))
            {
                if (date.CanBe(birthday))
                {
                    Add(found, text, start, end, RedactionCategory.DateOfBirth, ExemptionCatalog.Ferpa, "date of birth of a rostered student named in the record");
                }
            }
        }
    }

    /// <summary>
    /// A capitalised name beside student context ("student", "my son", "the mother of", "(grade 7)", "'s IEP", "mi
    /// hija", "o aluno") that the roster does not list: a new enrolment, a sibling, a student of another district. A
    /// roster match over the same words wins (it is found first); a person confirms the rest.
    /// </summary>
    private void FindStudentsInContext(string text, List<RedactionSuggestion> found)
    {
        var reason = _rosterIsEmpty ? "student name by its context (no roster loaded)" : "student name by its context, not on the roster";
        foreach (var cue in Cues(text, StudentCueStems, StudentCueBeforeName()))
        {
            var start = cue.Index + cue.Length;
            var end = start;
            for (var words = 0; words < MaxNameWords && NameWordEnd(text, end) is var next and > 0; words++)
            {
                end = next;
                var gap = end;
                while (gap < text.Length && text[gap] is ' ' or '\t')
                {
                    gap++;
                }
                if (gap == end || NameWordEnd(text, gap) < 0)
                {
                    break;
                }
                end = gap;
            }
            if (end > start)
            {
                AddStudentName(text, found, start, end, trailing: true, reason);
            }
        }
        foreach (var cue in Cues(text, StudentCueAfterNameStems, StudentCueAfterName(), afterName: true))
        {
            // The name is the run of capitalised words that ends right where the cue begins.
            var end = cue.Index;
            var start = end;
            for (var words = 0; words < MaxNameWords && NameWordStart(text, start) is var previous and >= 0; words++)
            {
                start = previous;
                var gap = start;
                while (gap > 0 && text[gap - 1] is ' ' or '\t')
                {
                    gap--;
                }
                if (gap == start || NameWordStart(text, gap) < 0)
                {
                    break;
                }
                start = gap;
            }
            if (start < end)
            {
                AddStudentName(text, found, start, end, trailing: false, reason);
            }
        }
    }

    /// <summary>A name is at most a first name, two middle names or initials, and a family name.</summary>
    private const int MaxNameWords = 4;

    /// <summary>
    /// The end of the name word at <paramref name="at"/> ("Maya", "O'Brien", "Maya-Rose", "José", "McCarthy", or an
    /// initial "R."), or -1: it starts with a capital and, unless it is an initial, has a lower-case letter.
    /// </summary>
    private static int NameWordEnd(string text, int at)
    {
        if (at >= text.Length || !char.IsUpper(text[at]) || (at > 0 && char.IsLetterOrDigit(text[at - 1])))
        {
            return -1;
        }
        var end = at + 1;
        var lower = false;
        while (end < text.Length && (char.IsLetter(text[end]) || (text[end] is '\'' or '’' or '-' && end + 1 < text.Length && char.IsLetter(text[end + 1]))))
        {
            if (text[end] is '\'' or '’' && text[end + 1] is 's' && (end + 2 == text.Length || !char.IsLetter(text[end + 2])))
            {
                break; // a possessive: "Noah's" is the name "Noah"
            }
            lower |= char.IsLower(text[end]);
            end++;
        }
        if (end == at + 1 && end < text.Length && text[end] == '.')
        {
            return end + 1;
        }
        return lower && (end == text.Length || !char.IsDigit(text[end])) ? end : -1;
    }

    /// <summary>The start of the name word that ends at <paramref name="end"/> (see <see cref="NameWordEnd"/>), or -1.</summary>
    private static int NameWordStart(string text, int end)
    {
        var start = end;
        while (start > 0 && (char.IsLetter(text[start - 1]) || (text[start - 1] is '\'' or '’' or '-' && start - 1 > 0 && char.IsLetter(text[start - 2]))))
        {
            start--;
        }
        if (start == end && end >= 2 && text[end - 1] == '.' && char.IsUpper(text[end - 2]) && (end == 2 || !char.IsLetter(text[end - 3])))
        {
            return end - 2;
        }
        return start < end && NameWordEnd(text, start) == end ? start : -1;
    }

    /// <summary>
    /// Each match of an anchored (\G) cue pattern, tried only where one of its stems occurs: a vectorised search for a
    /// few dozen words costs a fraction of a pattern tried at every letter of every record.
    /// </summary>
    /// <param name="afterName">The cue follows a name (it starts with "'s", "(", ", "): tried only after a capitalised word;
    /// otherwise the cue is a word of its own, tried only where a word starts.</param>
    private static IEnumerable<Match> Cues(string text, SearchValues<string> stems, Regex anchoredCue, bool afterName = false)
    {
        var at = 0;
        while (at < text.Length)
        {
            var index = text.AsSpan(at).IndexOfAny(stems);
            if (index < 0)
            {
                yield break;
            }
            var position = at + index;
            var worthTrying = afterName
                ? position > 0 && char.IsLower(text[position - 1]) && NameWordStart(text, position) >= 0
                : position == 0 || !char.IsLetterOrDigit(text[position - 1]);
            if (!worthTrying)
            {
                at = position + 1;
                continue;
            }
            var match = anchoredCue.Match(text, position);
            if (match.Success)
            {
                yield return match;
                at = match.Index + Math.Max(1, match.Length);
            }
            else
            {
                at += index + 1;
            }
        }
    }

    /// <summary>
    /// Trims words that are not names from the captured run of capitalised words: after a cue, the name ends at the first
    /// one ("student Maya Council"); before a cue, it starts after the last one ("Yesterday Maya's IEP"). A title
    /// (Principal, Ms., Coach) means the person is staff, not a student: nothing is suggested.
    /// </summary>
    private static void AddStudentName(string text, List<RedactionSuggestion> found, int start, int end, bool trailing, string reason)
    {
        var span = text.AsSpan(start, end - start);
        Span<Range> words = stackalloc Range[8];
        var count = span.SplitAny(words, " \n\t\r");
        var first = 0;
        var last = count;
        for (var i = 0; i < count; i++)
        {
            var word = span[words[i]].TrimEnd('.');
            if (word.Length == 0)
            {
                continue;
            }
            if (Titles.Contains(word))
            {
                return;
            }
            if (NotNames.Contains(word) || (!word.ContainsAny(LowerCaseLetters) && word.Length > 1))
            {
                if (trailing)
                {
                    last = i;
                    break;
                }
                first = i + 1;
            }
        }
        if (first >= last)
        {
            return;
        }
        var from = start + words[first].Start.GetOffset(span.Length);
        var to = start + words[last - 1].End.GetOffset(span.Length);
        if (first == 0 && Titles.Contains(WordBefore(text, from)))
        {
            return; // "Ms. Vandermeer (grade 5 teacher)"
        }
        while (to > from && text[to - 1] is '.' or ',')
        {
            to--;
        }
        // A lone initial is not a name.
        if (to - from >= 2)
        {
            Add(found, text, from, to, RedactionCategory.StudentName, ExemptionCatalog.Ferpa, reason);
        }
    }

    /// <summary>Whether a son, daughter or child named in the text is a student: school words in the same passage.</summary>
    private static bool IsStudentChild(string text, int index) => StudentContext().IsMatch(Around(text, index, 200));

    /// <summary>
    /// The start of the value after a cue: past separators (":", "#", "(", "-") and up to <see cref="MaxWordsAfterCue"/>
    /// connecting words ("is", "number", "es", "é", "do"); -1 if something else comes first.
    /// </summary>
    private static int SkipToValue(string text, int at, Regex filler)
    {
        for (var words = 0; words <= MaxWordsAfterCue; words++)
        {
            at = SkipSeparators(text, at);
            if (at < 0)
            {
                return -1;
            }
            var word = filler.Match(text, at);
            if (!word.Success)
            {
                return at;
            }
            at += word.Length;
        }
        return -1;
    }

    /// <summary>
    /// Marks a scanner's speckle or a blurred '#' or ':' becomes in OCR ("bus pass + BP-95567", "número|" de", "Date of.
    /// birth"): between a cue and its value, and between a cue's words, they are read as the space they stand in.
    /// </summary>
    private static bool IsOcrNoise(char c) => c is '+' or '*' or '|' or '.' or '_' or '~' or '«' or '»' or '‘' or '’' or '“' or '”' or '"' or '\'';

    /// <summary>
    /// The space between a cue's words: white space, with OCR's stray marks (<see cref="IsOcrNoise"/>, and a ':' or ';'
    /// read from a speck, "bus: pass") beside it.
    /// </summary>
    private const string CueGap = """[\s.:;|_~‘’“”«»"']*\s[\s.:;|_~‘’“”«»"']*""";

    /// <summary>Past spaces, one line break and punctuation that introduces a value; -1 at a page break, a second line break or the end.</summary>
    private static int SkipSeparators(string text, int at)
    {
        var lineBreaks = 0;
        while (at < text.Length)
        {
            var c = text[at];
            if (c == '\n' && ++lineBreaks > 1 || c == '\f')
            {
                return -1;
            }
            if (!(char.IsWhiteSpace(c) || c is ':' or '#' or '(' or ')' or ',' or '-' or '–' or '—' or '=' or '/' or 'º' or '°' || IsOcrNoise(c)))
            {
                return at;
            }
            at++;
        }
        return -1;
    }

    /// <summary>
    /// The end of an identifier starting at <paramref name="at"/>: letters and digits in groups joined by '-', '/' or
    /// '.' (OCR may put a space around '-' or '/'), or digit groups of three or more separated by single spaces
    /// ("12 345 678"). It needs at least two digits, counting OCR's O and l inside digit runs; null if it is a word.
    /// </summary>
    private static int? ReadIdentifier(string text, int at)
    {
        var end = at;
        var digits = 0;
        var i = at;
        var groupIsDigits = true;
        var groupLength = 0;
        while (i < text.Length && i - at <= MaxIdentifierLength)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (char.IsAsciiDigit(c) || (c is 'O' or 'o' or 'l' or 'I' && NextToDigit(text, i)))
                {
                    digits++;
                }
                else
                {
                    groupIsDigits = false;
                }
                groupLength++;
                i++;
                end = i;
                continue;
            }
            // A separator continues the identifier only if more of it follows.
            var next = i;
            if (c is '-' or '/' || (c == ' ' && next + 1 < text.Length && text[next + 1] is '-' or '/'))
            {
                next += c == ' ' ? 2 : 1;
                if (next < text.Length && text[next] == ' ')
                {
                    next++;
                }
            }
            else if (c == '.' && next + 1 < text.Length && char.IsAsciiLetterOrDigit(text[next + 1]))
            {
                next++;
            }
            else if (c == ' ' && groupIsDigits && digits > 0 && DigitGroupLength(text, next + 1) >= 3)
            {
                next++;
            }
            else
            {
                break;
            }
            if (next >= text.Length || !char.IsAsciiLetterOrDigit(text[next]))
            {
                break;
            }
            i = next;
            groupIsDigits = true;
            groupLength = 0;
        }
        return digits >= 2 && end - at >= 2 && end - at <= MaxIdentifierLength ? end : null;
    }

    private static bool NextToDigit(string text, int i) =>
        (i > 0 && char.IsAsciiDigit(text[i - 1])) || (i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]));

    /// <summary>The length of the run of digits at <paramref name="at"/> (OCR's O and l included), if a space, a separator or the end follows it; 0 otherwise.</summary>
    private static int DigitGroupLength(string text, int at)
    {
        var i = at;
        var digits = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is 'O' or 'o' or 'l' or 'I'))
        {
            digits += char.IsAsciiDigit(text[i]) ? 1 : 0;
            i++;
        }
        // OCR's O and l count only inside a group that is mostly real digits.
        return (i == text.Length || !char.IsAsciiLetter(text[i])) && digits * 2 > i - at ? i - at : 0;
    }

    /// <summary>The word just before <paramref name="index"/>, past spaces and a full stop ("Ms." before "Vandermeer").</summary>
    private static ReadOnlySpan<char> WordBefore(string text, int index)
    {
        var end = index;
        while (end > 0 && text[end - 1] is ' ' or '\t' or '.')
        {
            end--;
        }
        var start = end;
        while (start > 0 && char.IsLetter(text[start - 1]))
        {
            start--;
        }
        return text.AsSpan(start, end - start);
    }

    private static ReadOnlySpan<char> Around(string text, int index, int radius)
    {
        var from = Math.Max(0, index - radius);
        return text.AsSpan(from, Math.Min(text.Length, index + radius) - from);
    }

    private static readonly SearchValues<char> LowerCaseLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzáàâãäçéèêëíìîïñóòôõöúùûüý");

    /// <summary>Titles of staff: a name after one is a staff member's, not a student's.</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Titles = new HashSet<string>(
    [
        "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Principal", "Superintendent", "Coach", "Nurse", "Teacher", "Counselor", "Officer",
        "Director", "Sr", "Sra", "Srta", "Dra", "Prof", "Profa", "Professor", "Professora", "Maestra", "Maestro", "Diretora", "Diretor", "Directora",
    ], StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Capitalised words that are not names: days, months, school and office words, grade words, sentence openers and
    /// determiners in the three languages. A name ends (after a cue) or starts (before one) at such a word.
    /// </summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NotNames = new HashSet<string>(
    [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo", "Segunda", "Terça", "Quarta", "Quinta", "Sexta",
        "School", "Schools", "Academy", "Elementary", "Middle", "High", "District", "Public", "Council", "Services", "Service",
        "Handbook", "Government", "Activities", "Affairs", "Support", "Center", "Centre", "Office", "Union", "Body", "Records",
        "Record", "Information", "Portal", "Success", "Assistance", "Association", "Life", "Team", "Committee", "Department",
        "Grade", "Grades", "Identifier", "Identification", "Class", "Room", "Homeroom", "Kindergarten", "Pre-K", "Preschool", "Program", "Plan", "Name", "Number",
        "ID", "Services", "Council", "Board", "Escuela", "Escola", "Grado", "Ano", "Série", "Serie", "Nombre", "Nome", "Colegio",
        "The", "A", "An", "This", "That", "These", "Those", "His", "Her", "Their", "Our", "My", "Your", "We", "He", "She", "They",
        "It", "I", "On", "In", "At", "For", "And", "Or", "But", "If", "When", "After", "Before", "Yesterday", "Today", "Tomorrow",
        "Please", "Dear", "Re", "Subject", "Date", "Dob", "Thank", "Thanks", "Attached", "Per", "As", "Also", "Then", "Who", "Is",
        "El", "La", "Los", "Las", "Un", "Una", "Mi", "Su", "Sus", "Nuestro", "Nuestra", "Estimada", "Estimado", "Gracias", "Hoy",
        "Ayer", "Por", "Favor", "Con", "De", "Del", "Y", "O", "Os", "As", "Um", "Uma", "Meu", "Minha", "Seu", "Sua", "Nosso",
        "Nossa", "Prezada", "Prezado", "Obrigado", "Obrigada", "Hoje", "Ontem", "Em", "Do", "Da", "E", "Com",
        "English", "Spanish", "Portuguese", "Math", "Science", "Reading", "History", "Art", "Music", "Physical", "Education",
        "IEP", "Title", "Special", "Student", "Students", "Parent", "Parents", "Guardian", "Family", "Bus", "Lunch", "Locker",
    ], StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    // Cues introducing an identifier. "case" cues are case numbers; the rest identify a student (IDs, SASID, LASID,
    // locker, lunch and bus pass numbers). Each needs a word that makes it a number ("locker" alone is enough: a locker
    // is named by its number; "bus" alone is a route, which is public).
    [GeneratedRegex($$"""
        \G(?<![\p{L}\p{N}])(?:
          (?<case>case\s*(?:number|num\.?|no\.?|n\.?\s?º|\#)
            | n[uú]mero{{CueGap}}del?{{CueGap}}(?:caso|expediente) | (?:caso|expediente){{CueGap}}(?:n[uú]m(?:ero|\.)|no\.?|n\.?\s?º|\#)
            | n[uú]mero{{CueGap}}d[oa]{{CueGap}}(?:processo|caso) | processo{{CueGap}}(?:n[uú]m(?:ero|\.)|no\.?|n\.?\s?º|\#))
        | (?:state[\s-]+assigned{{CueGap}})?student(?:'s|’s|s')?\s*(?:identification|identifier|id|number|num\.?|no\.?|\#)
        | sasid | lasid | pupil{{CueGap}}(?:id|number|no\.?)
        | (?:id|identificaci[oó]n|c[oó]digo|n[uú]mero(?:{{CueGap}}de{{CueGap}}identificaci[oó]n)?){{CueGap}}del?{{CueGap}}(?:estudiante|alumn[oa])
        | identificaci[oó]n{{CueGap}}estudiantil | n[uú]mero{{CueGap}}de{{CueGap}}matr[ií]cula
        | (?:id|identifica[cç][aã]o|c[oó]digo|n[uú]mero(?:{{CueGap}}de{{CueGap}}identifica[cç][aã]o)?){{CueGap}}d[oa]{{CueGap}}(?:alun[oa]|estudante)
        | n[uú]mero{{CueGap}}de{{CueGap}}(?:alun[oa]|estudante) | matr[ií]cula(?=\s*(?::|\#|n\.?\s?º|no\.|n[uú]mero|es\s|é\s))
        | locker(?:{{CueGap}}(?:number|num\.?|no\.?|\#|combination|combo))?
        | lunch{{CueGap}}(?:pin|number|no\.?|code|id|account(?:{{CueGap}}(?:number|no\.?|\#))?|card(?:{{CueGap}}number)?)
        | bus{{CueGap}}pass(?:{{CueGap}}(?:number|no\.?|\#|id))?
        | (?:n[uú]mero{{CueGap}}de(?:l)?{{CueGap}})?casillero | pase{{CueGap}}de(?:l)?{{CueGap}}autob[uú]s | (?:n[uú]mero|c[oó]digo|pin){{CueGap}}del?{{CueGap}}almuerzo
        | (?:n[uú]mero{{CueGap}}d[oa]{{CueGap}})?arm[aá]rio | passe{{CueGap}}de{{CueGap}}[oô]nibus | (?:n[uú]mero|c[oó]digo|senha){{CueGap}}d[oa]{{CueGap}}(?:almo[cç]o|merenda|lanche)
        )(?![\p{L}\p{N}])
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex IdentifierCue();

    /// <summary>The words every <see cref="IdentifierCue"/> starts with.</summary>
    private static readonly SearchValues<string> IdentifierStems = SearchValues.Create(
        ["case", "número", "numero", "caso", "expediente", "processo", "state", "student", "sasid", "lasid", "pupil", "id", "identifica",
         "código", "codigo", "matrícula", "matricula", "locker", "lunch", "bus", "casillero", "pase", "pin", "armário", "armario", "passe", "senha"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>Words that may stand between an identifier cue and its value: "Student ID number is", "número de estudiante es".</summary>
    [GeneratedRegex(@"\G(?:is|was|number|num\.?|no\.?|n\.?º|id|of|the|his|her|their|(?:\(?sasid\)?)|es|era|fue|su|el|é|era|foi|seu|sua|o|a|do|da|del?)(?![\p{L}\p{N}])\.?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierFiller();

    // Cues introducing a date of birth. "near" cues (birthday, cumpleaños, aniversário) must be right beside the date.
    [GeneratedRegex($$"""
        \G(?<![\p{L}\p{N}])(?:
          dob | d\.\s?o\.\s?b\.? | date{{CueGap}}of{{CueGap}}birth | birth\s*date | born(?:{{CueGap}}on)?
        | fecha{{CueGap}}de{{CueGap}}nacimiento | fecha{{CueGap}}de{{CueGap}}nac\. | f\.\s?de{{CueGap}}nac\.? | nacid[oa]s? | naci[oó]
        | data{{CueGap}}de{{CueGap}}nascimento | data{{CueGap}}(?:de{{CueGap}})?nasc\. | nascid[oa]s? | nasceu
        | (?<near>birthday|cumpleaños|aniversário)
        )(?![\p{L}\p{N}])
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex BirthCue();

    /// <summary>The words every <see cref="BirthCue"/> starts with.</summary>
    private static readonly SearchValues<string> BirthStems = SearchValues.Create(
        ["dob", "d.", "date", "birth", "born", "fecha", "f.", "naci", "data", "nasc", "cumplea", "anivers"], StringComparison.OrdinalIgnoreCase);

    /// <summary>A word between a birth cue and its date: any short word of letters ("of the student is", "el", "em").</summary>
    [GeneratedRegex(@"\G\p{L}[\p{L}'’.]{0,15}(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex BirthFiller();

    /// <summary>Only "is" may stand between "birthday" and the date.</summary>
    [GeneratedRegex(@"\G(?:is|es|é)(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoFiller();

    /// <summary>Words that make a passage about a student: school, grade, class, IEP, enrolment, and their Spanish and Portuguese.</summary>
    [GeneratedRegex(@"(?i)(?<![\p{L}\p{N}])(?:students?|pupils?|school|grade|grader|class|classroom|teacher|IEP|504|BSEA|special\s+education|enroll?(?:ed|ment)?|homeroom|kindergarten|estudiantes?|alumn[oa]s?|escuela|grado|maestr[oa]|alun[oa]s?|estudantes?|escola|série|professor[a]?)(?![\p{L}\p{N}])",
        RegexOptions.CultureInvariant)]
    private static partial Regex StudentContext();

    private const string Ordinals = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth";

    // A cue that a student's name follows: "student Maya Okafor", "my son Liam", "the mother of Ana Silva", "IEP for
    // Noah", "Student name: Maya", "fifth grader Zoe", "mi hija Sofía", "la madre de", "o meu filho", "aluno", "nome do
    // aluno:". The name (read by hand: one to four capitalised words) may be on the next line, as in a form.
    [GeneratedRegex($$"""
        \G(?<![\p{L}\p{N}])(?i:
          (?:student|pupil|child)(?:'s|’s)?\s+(?:full\s+|legal\s+)?name
        | student | pupil | kindergartner | (?<=(?:\d{1,2}(?:st|nd|rd|th)|{{Ordinals}})[\s-])grader
        | (?:my|our)\s+(?:son|daughter|child|stepson|stepdaughter|grandson|granddaughter|nephew|niece)
        | (?:mother|father|mom|dad|parent|guardian|grandmother|grandfather|grandparent|stepmother|stepfather|foster\s+parent)s?\s+of
        | (?:IEP|504\s+plan|IEP\s+meeting|evaluation|report\s+card|transcript|enrollment|enrolment)\s+(?:for|of)
        | hij[oa] | estudiante | alumn[oa] | niet[oa]
        | (?:madre|padre|mamá|papá|tutor|tutora|abuel[oa])\s+del?
        | nombre\s+del?\s+(?:estudiante|alumn[oa])
        | filh[oa] | alun[oa] | estudante | net[oa]
        | (?:m[aã]e|pai|respons[aá]vel|av[oóô])\s+d[oae]
        | nome\s+d[oa]\s+(?:alun[oa]|estudante)
        )[ \t]*[:,]?(?:[ \t]+|[ \t]*\n[ \t]*)(?=\p{Lu})
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex StudentCueBeforeName();

    /// <summary>The words every <see cref="StudentCueBeforeName"/> starts with.</summary>
    private static readonly SearchValues<string> StudentCueStems = SearchValues.Create(
        ["student", "pupil", "child", "kindergartner", "grader", "my", "our", "mother", "father", "mom", "dad", "parent", "guardian", "grand",
         "step", "foster", "iep", "504", "evaluation", "report", "transcript", "enrol", "hij", "estudiante", "alumn", "niet", "madre", "padre",
         "mamá", "papá", "tutor", "abuel", "nombre", "filh", "alun", "estudante", "net", "mãe", "mae", "pai", "respons", "avó", "avô", "avo", "nome"],
        StringComparison.OrdinalIgnoreCase);

    // A cue that follows a student's name: "Maya Okafor (grade 7)", "Noah Reyes, a fifth grader", "Ana's IEP", "Liam
    // is in grade 4", "Omar has an IEP", "Sofía, alumna de", "João, aluno do".
    [GeneratedRegex($$"""
        \G(?<=\p{L})(?i:
          (?:'s|’s)\s+(?:IEP|504|mother|father|mom|dad|parents?|guardians?|teachers?|grades|report\s+card|schedule|locker|attendance|evaluation|reading|math|homework|class|classmates?)
        | [ \t]*\(\s*(?:grade|gr\.|grado|série|ano)[\s.]*\d
        | ,[ \t]+(?:a[ \t]+|an[ \t]+)?(?:grade\s+\d|\d{1,2}(?:st|nd|rd|th)[\s-]grade|(?:{{Ordinals}}|kindergarten)[\s-]grade|kindergartner|student\b|pupil\b)
        | [ \t]+(?:is|was)\s+(?:in|a)\s+(?:grade\s+\d|\d{1,2}(?:st|nd|rd|th)\s+grade|(?:{{Ordinals}})[\s-]grade|student\b|kindergarten)
        | [ \t]+has\s+(?:an?\s+)?(?:IEP|504)
        | ,[ \t]+(?:alumn[oa]|estudiante|alun[oa]|estudante)\s+d[eoa]
        )
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex StudentCueAfterName();

    /// <summary>The characters every <see cref="StudentCueAfterName"/> starts with.</summary>
    private static readonly SearchValues<string> StudentCueAfterNameStems = SearchValues.Create(
        ["'s", "’s", "(", " (", ", ", " is ", " was ", " has "], StringComparison.OrdinalIgnoreCase);
}
