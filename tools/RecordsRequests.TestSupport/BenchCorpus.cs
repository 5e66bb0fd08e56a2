using RecordsRequests.Features.Archive;

namespace RecordsRequests.TestSupport;

/// <summary>
/// A deterministic generator of a school district's mail: message i is the same on every machine and run for a given
/// seed, so Lucene and PostgreSQL are measured on the same corpus and anyone can repeat a run. Words follow a Zipf
/// distribution over everyday English, school vocabulary and a long tail of rare words; bodies are log-normally sized;
/// about a third of messages reply within a thread; some carry attachments with text of their own; a few rare terms
/// and phrases are planted at known rates so the query mix has rare, medium and common terms.
/// </summary>
public sealed class BenchCorpus
{
    public const string RareTerm = "quillwort";
    public const string PlantedPhrase = "bus transportation contract";
    public static readonly DateTimeOffset Start = new(2015, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Common =
    [
        "the", "and", "to", "of", "a", "in", "for", "is", "on", "that", "with", "we", "please", "will", "be", "this", "are", "at", "our",
        "you", "have", "your", "from", "can", "as", "it", "by", "all", "about", "next", "week", "thanks", "if", "any", "questions", "let",
        "me", "know", "i", "would", "like", "there", "they", "their", "an", "or", "not", "but", "so", "today", "tomorrow", "monday",
        "tuesday", "wednesday", "thursday", "friday", "morning", "afternoon", "time", "also", "need", "been", "has", "was", "were",
        "should", "could", "may", "one", "two", "three", "new", "update", "follow", "up", "attached", "see", "below", "regards", "best",
    ];

    private static readonly string[] School =
    [
        "students", "student", "teacher", "teachers", "principal", "superintendent", "budget", "schedule", "classroom", "curriculum",
        "assessment", "mcas", "attendance", "bus", "transportation", "contract", "cafeteria", "lunch", "parent", "parents", "guardian",
        "iep", "special", "education", "counselor", "nurse", "field", "trip", "playground", "athletic", "coach", "hiring", "payroll",
        "stipend", "grant", "facilities", "maintenance", "hvac", "snow", "delay", "dismissal", "safety", "drill", "policy", "committee",
        "meeting", "agenda", "minutes", "vote", "union", "negotiation", "substitute", "professional", "development", "technology",
        "chromebook", "network", "enrollment", "kindergarten", "grade", "report", "card", "homework", "literacy", "math", "science",
        "history", "art", "music", "library", "fundraiser", "pto", "volunteer", "concert", "graduation", "discipline", "suspension",
        "bullying", "incident", "investigation", "layoff", "reduction", "overtime", "invoice", "vendor", "procurement", "bid", "lease",
        "insurance", "lawsuit", "settlement", "complaint", "grievance", "evaluation", "observation", "license", "certification",
        "superintendent's", "district", "school", "elementary", "middle", "high", "campus", "gym", "auditorium", "custodian", "repair",
        "roof", "boiler", "window", "security", "camera", "visitor", "badge", "emergency", "closure", "remote", "learning", "zoom",
        "quarantine", "vaccine", "mask", "testing", "transcript", "records", "ferpa", "request", "public", "consent", "photo", "media",
    ];

    private static readonly string[] FirstNames =
    [
        "maria", "owen", "james", "linda", "robert", "patricia", "michael", "jennifer", "david", "elizabeth", "william", "susan", "joseph",
        "jessica", "thomas", "sarah", "charles", "karen", "daniel", "nancy", "matthew", "lisa", "anthony", "betty", "mark", "sandra",
    ];

    private static readonly string[] LastNames =
    [
        "alvarez", "reed", "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
        "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez",
    ];

    private static readonly string[] DocumentNames =
    [
        "budget", "minutes", "agenda", "bus-routes", "contract", "invoice", "schedule", "evaluation", "policy", "report", "handbook",
        "incident-report", "field-trip-permission", "payroll", "grant-application", "floor-plan",
    ];

    private static readonly string[] Extensions = [".pdf", ".docx", ".txt", ".xlsx"];

    private readonly long _seed;
    private readonly long _count;
    private readonly string[] _words;
    private readonly double[] _cumulative;
    private readonly string[] _staff;

    public BenchCorpus(long count, long seed)
    {
        _count = count;
        _seed = seed;
        // A long tail of 30,000 made-up but pronounceable words stands in for names, places and jargon.
        var syllables = new[] { "ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "za", "qu", "dre", "pli", "sto", "gra", "wen", "mor", "tal" };
        var tailRandom = new Random(unchecked((int)seed));
        var tail = Enumerable.Range(0, 30_000)
            .Select(_ => string.Concat(Enumerable.Range(0, 2 + tailRandom.Next(3)).Select(_ => syllables[tailRandom.Next(syllables.Length)])))
            .Distinct(StringComparer.Ordinal)
            .Where(w => w != RareTerm)
            .ToArray();
        _words = [.. Common, .. School, .. tail];
        _cumulative = new double[_words.Length];
        var total = 0.0;
        for (var rank = 0; rank < _words.Length; rank++)
        {
            total += 1.0 / Math.Pow(rank + 1, 1.05);
            _cumulative[rank] = total;
        }
        for (var rank = 0; rank < _words.Length; rank++)
        {
            _cumulative[rank] /= total;
        }
        _staff = FirstNames.SelectMany(f => LastNames.Select(l => $"{f}.{l}@district.example")).ToArray();
    }

    public long Count => _count;

    public BenchMessage Message(long index)
    {
        var random = RandomFor(index, 2);
        var sender = _staff[random.Next(_staff.Length)];
        var recipients = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => _staff[random.Next(_staff.Length)]).ToList();
        var cc = random.NextDouble() < 0.3 ? _staff[random.Next(_staff.Length)] : "";
        var thread = ThreadRoot(index);
        var subject = thread == index ? SubjectOf(index) : "Re: " + SubjectOf(thread);
        var body = Words(random, LogNormal(random, 120, 0.8, 5, 5000));
        if (random.NextDouble() < 1.0 / 500)
        {
            body = Plant(random, body, PlantedPhrase);
        }
        if (random.NextDouble() < 1.0 / 40)
        {
            body = Plant(random, body, "field trip");
        }
        if (random.NextDouble() < 1.0 / 20_000)
        {
            body = Plant(random, body, RareTerm);
        }
        var attachments = new List<ArchiveAttachment>();
        if (random.NextDouble() < 0.12)
        {
            var count = 1 + random.Next(3);
            for (var a = 0; a < count; a++)
            {
                var extension = Extensions[random.Next(Extensions.Length)];
                var name = $"{DocumentNames[random.Next(DocumentNames.Length)]}-{2015 + random.Next(11)}{extension}";
                var text = extension == ".xlsx" ? "" : Words(random, LogNormal(random, 600, 0.9, 20, 20_000));
                attachments.Add(new ArchiveAttachment(name, text, ArchiveContent.PagesOfText(text.Length)));
            }
        }
        var span = (End - Start).Ticks;
        var sent = Start.AddTicks(span / Math.Max(_count, 1) * index + (long)(random.NextDouble() * TimeSpan.TicksPerHour));
        var messageId = $"{index}.{_seed}@bench.district.example";
        var content = new ArchiveContent(messageId, $"{thread}.{_seed}@bench.district.example", subject, sender, string.Join(", ", recipients), cc, "",
            sent, body, attachments);
        var custodian = random.NextDouble() < 0.5 ? sender : recipients[0];
        return new BenchMessage(index, custodian, messageId, content.ThreadId!, content);
    }

    private long ThreadRoot(long index)
    {
        var current = index;
        for (var depth = 0; depth < 50; depth++)
        {
            var random = RandomFor(current, 0);
            if (random.NextDouble() >= 0.35 || current == 0)
            {
                return current;
            }
            current = Math.Max(0, current - 1 - random.Next(200));
        }
        return current;
    }

    private string SubjectOf(long index)
    {
        var random = RandomFor(index, 1);
        var words = Words(random, 2 + random.Next(6));
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>SplitMix64 of (seed, index, stream): HashCode.Combine would differ between processes.</summary>
    private Random RandomFor(long index, int stream)
    {
        unchecked
        {
            var x = (ulong)_seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xBF58476D1CE4E5B9UL + (ulong)stream * 0x94D049BB133111EBUL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return new Random((int)(x & 0x7fffffff));
        }
    }

    private string Words(Random random, int count)
    {
        var builder = new System.Text.StringBuilder(count * 7);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                builder.Append(i % 14 == 0 ? ". " : " ");
            }
            var position = Array.BinarySearch(_cumulative, random.NextDouble());
            builder.Append(_words[position < 0 ? Math.Min(~position, _words.Length - 1) : position]);
        }
        return builder.ToString();
    }

    private static string Plant(Random random, string text, string words)
    {
        var spaces = text.Split(' ');
        var at = random.Next(spaces.Length);
        return string.Join(' ', spaces.Take(at).Append(words).Concat(spaces.Skip(at)));
    }

    private static int LogNormal(Random random, double median, double sigma, int min, int max)
    {
        // Box-Muller: a standard normal from two uniforms.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return (int)Math.Clamp(median * Math.Exp(sigma * normal), min, max);
    }
}
