namespace RecordsRequests.Features.Redactions;

/// <summary>
/// The exemptions a redaction may cite: G.L. c.4 §7 cl.26(a)–(u), with the statutes that make student records
/// confidential listed separately under (a) (FERPA 20 U.S.C. §1232g, G.L. c.71 §34D, 603 CMR 23.00; legal.md §2, §3.5),
/// and the common-law attorney-client privilege (legal.md §1.7). Clause summaries are legal.md's own wording; several
/// are tagged [U] there, so counsel must confirm the clause before relying on it in a letter.
/// </summary>
public static class ExemptionCatalog
{
    public const string Ferpa = "26(a) FERPA";
    public const string StudentRecordsStatute = "26(a) c.71 §34D";
    public const string StudentRecordsRegulation = "26(a) 603 CMR 23";
    public const string Privacy = "26(c)";
    public const string EmployeeHomeContact = "26(o)";
    public const string EmployeeFamily = "26(p)";
    public const string AttorneyClient = "Attorney-client";

    public static readonly IReadOnlyList<Exemption> All =
    [
        new(Ferpa, "Student education record (FERPA)", "G.L. c.4 §7 cl.26(a); 20 U.S.C. §1232g; 34 CFR 99.3",
            "personally identifiable information from a student's education record, which FERPA makes confidential"),
        new(StudentRecordsStatute, "Student record (Massachusetts statute)", "G.L. c.4 §7 cl.26(a); G.L. c.71 §34D",
            "information from a student record, which G.L. c.71 §34D makes confidential"),
        new(StudentRecordsRegulation, "Student record (Massachusetts regulation)", "G.L. c.4 §7 cl.26(a); 603 CMR 23.00",
            "personally identifiable student information that 603 CMR 23.07 bars releasing without consent"),
        new("26(a)", "Exempt by statute", "G.L. c.4 §7 cl.26(a)", "material that a statute makes confidential"),
        new("26(b)", "Internal personnel rules", "G.L. c.4 §7 cl.26(b)", "material related solely to internal personnel rules and practices"),
        new(Privacy, "Personnel, medical or private information", "G.L. c.4 §7 cl.26(c)",
            "personnel or medical information, or information about a named person whose release would be an unwarranted invasion of privacy"),
        new("26(d)", "Policy deliberation", "G.L. c.4 §7 cl.26(d)", "inter- or intra-agency material about a policy still being developed"),
        new("26(e)", "Personal notebooks", "G.L. c.4 §7 cl.26(e)", "an employee's personal notes not kept as part of the office's files"),
        new("26(f)", "Investigatory material", "G.L. c.4 §7 cl.26(f)", "investigatory material whose release would prejudice effective law enforcement"),
        new("26(g)", "Confidential commercial information", "G.L. c.4 §7 cl.26(g)", "trade secrets or commercial information given in confidence"),
        new("26(h)", "Bids and proposals", "G.L. c.4 §7 cl.26(h)", "bids or proposals before opening or award"),
        new("26(i)", "Real-property appraisals", "G.L. c.4 §7 cl.26(i)", "an appraisal of real property being acquired"),
        new("26(j)", "Firearms licensing", "G.L. c.4 §7 cl.26(j)", "names and addresses in firearms licensing records"),
        new("26(k)", "Stricken", "G.L. c.4 §7 cl.26(k)", "(clause stricken)"),
        new("26(l)", "Test questions", "G.L. c.4 §7 cl.26(l)", "test questions and answers that will be used again"),
        new("26(m)", "Health-care contracts", "G.L. c.4 §7 cl.26(m)", "contracts for hospital or health-care services"),
        new("26(n)", "Security and safety", "G.L. c.4 §7 cl.26(n)", "security or safety records whose release is likely to jeopardize public safety or cyber-security"),
        new(EmployeeHomeContact, "Employee home contact details", "G.L. c.4 §7 cl.26(o)",
            "the home address, personal e-mail or home telephone of a public employee"),
        new(EmployeeFamily, "Employee family members", "G.L. c.4 §7 cl.26(p)",
            "the name, home address, personal e-mail or home telephone of a public employee's family member"),
        new("26(q)", "Adoption registry", "G.L. c.4 §7 cl.26(q)", "adoption contact registry information"),
        new("26(r)", "Child Advocate", "G.L. c.4 §7 cl.26(r)", "records obtained by the Office of the Child Advocate"),
        new("26(s)", "Energy suppliers", "G.L. c.4 §7 cl.26(s)", "competitively sensitive information of a government energy supplier"),
        new("26(t)", "Retirement filings", "G.L. c.4 §7 cl.26(t)", "statements filed under G.L. c.32 §20C"),
        new("26(u)", "University trade secrets", "G.L. c.4 §7 cl.26(u)", "University of Massachusetts trade secrets"),
        new(AttorneyClient, "Attorney-client privilege", "common-law attorney-client privilege; G.L. c.66 §10A(a)",
            "a confidential communication between the district and its counsel for legal advice"),
    ];

    private static readonly Dictionary<string, Exemption> ByCode = All.ToDictionary(e => e.Code, StringComparer.Ordinal);

    public static bool IsKnown(string code) => ByCode.ContainsKey(code);

    public static Exemption Get(string code) =>
        ByCode.TryGetValue(code, out var exemption) ? exemption : throw new DomainException($"'{code}' is not an exemption in the catalog.");
}
