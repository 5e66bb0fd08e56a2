using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Workflow;

/// <summary>
/// What the lifecycle's nodes and choices mean, in the words officers read on the request page: a button's label,
/// one line on what it does, and the letter it sends. The identifiers stay in workflows/*.json and the database.
/// </summary>
public static class LifecycleWords
{
    /// <summary>One choice at a waiting node. <see cref="CommentsNeeded"/> says what the comments box must hold, when it must.</summary>
    public sealed record Choice(string Button, string Does, string? Letter = null, string? CommentsNeeded = null);

    private static readonly Dictionary<string, string> Nodes = new(StringComparer.Ordinal)
    {
        ["acknowledge"] = "Acknowledge receipt",
        ["triage"] = "Triage",
        ["identity-check"] = "Check the requester's identity",
        ["clarification"] = "Waiting for the requester's answer",
        ["not-a-request"] = "Not a records request",
        ["collect"] = "Collect the records",
        ["petition"] = "Petition for more time",
        ["review"] = "Review and redact",
        ["counsel"] = "Counsel review",
        ["fee"] = "Decide the fee",
        ["payment"] = "Waiting for payment",
        ["response"] = "Written response",
        ["appeal-window"] = "Appeal period",
        ["appeal"] = "Under appeal to the Supervisor of Records",
        ["closed"] = "Closed",
    };

    private static readonly Dictionary<(string Node, string Outcome), Choice> Choices = new()
    {
        [("acknowledge", "done")] = new("Acknowledged", "The acknowledgement was sent.", "Acknowledgement"),
        [("triage", "public-records")] = new("Public-records request",
            "Process it under G.L. c.66 §10 and start collecting records. No letter; the acknowledgement already went out."),
        [("triage", "student-record")] = new("Student-record request",
            "A parent's or eligible student's request for their own record (603 CMR 23.07): check their identity next. No letter."),
        [("triage", "clarify")] = new("Ask the requester a question",
            "Sends your question to the requester and waits for the answer; the clocks keep running.", "Clarification letter",
            "the question to ask"),
        [("triage", "not-a-request")] = new("Not a records request",
            "Ends it as not a request (a question or a complaint, say). No letter is sent."),
        [("identity-check", "verified")] = new("Identity verified", "Start collecting the student's records. No letter."),
        [("identity-check", "not-verified")] = new("Identity not verified",
            "Go straight to the written response, where you send the denial."),
        [("clarification", "replied")] = new("The requester answered",
            "Back to triage with their answer. A reply by e-mail does this on its own. No letter."),
        [("collect", "collected")] = new("Records collected", "Move on to review and redaction. No letter."),
        [("collect", "petition")] = new("Petition the Supervisor for more time",
            "Record that the district petitioned the Supervisor of Records for an extension (G.L. c.66 §10(c)); wait for the decision. No letter."),
        [("collect", "no-records")] = new("No responsive records",
            "Go to the written response, where you send the letter saying no records were found."),
        [("petition", "granted")] = new("Petition granted", "Back to collecting, under the extended date. No letter."),
        [("petition", "denied")] = new("Petition denied", "Back to collecting, under the original dates. No letter."),
        [("review", "ready")] = new("Send to counsel",
            "Counsel approve every redaction and exemption before anything is released. No letter."),
        [("review", "more-records")] = new("Collect more records", "Back to collecting. No letter."),
        [("counsel", "approved")] = new("Approved by counsel", "Counsel approved the redactions. No letter."),
        [("counsel", "returned")] = new("Returned by counsel", "Counsel sent it back for changes. No letter."),
        [("fee", "no-fee")] = new("No fee", "Go on to the written response. No letter."),
        [("fee", "estimate")] = new("Send a fee estimate",
            "Computes the itemised good-faith estimate from the hours and pages above (G.L. c.66 §10(d)), sends it and waits for payment.", "Fee estimate letter"),
        [("payment", "paid")] = new("Fee paid", "Go on to the written response. No letter."),
        [("payment", "waived")] = new("Fee waived", "Go on to the written response without charge. No letter."),
        [("response", "full-release")] = new("Respond: release in full",
            "Sends the response letter saying the records are released in full, with appeal rights. Releasing the files from the records page does this for you.",
            "Response letter"),
        [("response", "partial-release")] = new("Respond: release in part",
            "Sends the response letter listing what is withheld and under which exemption, with appeal rights. Releasing the files from the records page does this for you.",
            "Response letter", "each record or part withheld and its exemption"),
        [("response", "denial")] = new("Respond: deny the request",
            "Sends the denial letter with the exemptions and the reasons, and appeal rights.", "Denial letter",
            "each record withheld and its exemption"),
        [("response", "no-records")] = new("Respond: no records",
            "Sends the letter saying a search found no responsive records, with appeal rights.", "No-records letter"),
        [("appeal-window", "appeal-received")] = new("Appeal received",
            "Record that the requester appealed to the Supervisor of Records (G.L. c.66 §10A(a)). No letter."),
        [("appeal-window", "close")] = new("Close the request", "Closes the request. No letter."),
        [("appeal", "upheld")] = new("Supervisor upheld the response", "Closes the request. No letter."),
        [("appeal", "further-response")] = new("Supervisor ordered a further response", "Back to collecting records. No letter."),
    };

    /// <summary>"collect" becomes "Collect the records"; an unknown node (a later definition version) shows its id.</summary>
    public static string Node(string nodeId) => Nodes.GetValueOrDefault(nodeId, nodeId);

    public static Choice For(string nodeId, string outcome) =>
        Choices.GetValueOrDefault((nodeId, outcome)) ?? new Choice(outcome, "");

    /// <summary>The words for an outcome recorded in history ("public-records" → "Public-records request").</summary>
    public static string Outcome(string nodeId, string outcome) => For(nodeId, outcome).Button;

    /// <summary>Statuses a request may have while its workflow waits at a node that sets none of its own.</summary>
    /// <remarks>
    /// Each is what the nodes before it leave behind: identity checks follow triage; a petition interrupts collecting;
    /// the fee follows counsel's approval (a request approved before "counsel approved" existed still says "awaiting
    /// counsel"); the response follows any of the paths into it (and a release moves the request to "responded" just
    /// before the response step records its letter).
    /// </remarks>
    private static readonly Dictionary<string, RequestStatus[]> InheritedStatuses = new(StringComparer.Ordinal)
    {
        ["identity-check"] = [RequestStatus.InTriage],
        ["petition"] = [RequestStatus.Collecting],
        ["fee"] = [RequestStatus.CounselApproved, RequestStatus.AwaitingCounsel],
        ["response"] = [RequestStatus.InTriage, RequestStatus.Collecting, RequestStatus.AwaitingCounsel, RequestStatus.CounselApproved, RequestStatus.AwaitingPayment,
            RequestStatus.Responded],
        ["appeal-window"] = [RequestStatus.Responded],
        ["appeal"] = [RequestStatus.UnderAppeal],
    };

    /// <summary>Whether a request's status agrees with the node its workflow waits at.</summary>
    public static bool Agrees(LifecycleNode node, RequestStatus status) =>
        node.Status is { } own ? own == status : !InheritedStatuses.TryGetValue(node.Id, out var allowed) || allowed.Contains(status);
}
