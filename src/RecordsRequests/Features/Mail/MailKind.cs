namespace RecordsRequests.Features.Mail;

/// <summary>Every kind of e-mail the district sends; stored by name in outbound_emails.kind (keep the names stable).</summary>
public enum MailKind
{
    /// <summary>The automatic receipt: restates the law and the dates, so not the written response.</summary>
    Acknowledgement,
    /// <summary>A question back to the requester; it does not stop or answer the day-10 clock (legal.md Unconfirmed point 3).</summary>
    Clarification,
    /// <summary>The written response's itemised fee estimate (G.L. c.66 §10(b)(viii)).</summary>
    FeeEstimate,
    /// <summary>The lifecycle's written response: release, partial release, denial or no records (G.L. c.66 §10(b)).</summary>
    Response,
    /// <summary>The written response when records are not all produced within 10 business days (G.L. c.66 §10(b)).</summary>
    Extension,
    FinalResponse,
    Denial,
    /// <summary>Released records (with the release's letter).</summary>
    Release,
    /// <summary>Corrected dates after an officer corrected the receipt time.</summary>
    ReceiptCorrected,
    WithdrawalConfirmation,
    /// <summary>Staff mail: a clock reminder to the officer.</summary>
    Reminder,
    /// <summary>Staff mail: counsel returned a request to its officer.</summary>
    CounselReturned,
    /// <summary>Staff mail: a password reset link.</summary>
    PasswordReset,
    /// <summary>A link for the requester to confirm their e-mail address, so their replies join the request as theirs.</summary>
    AddressConfirmation,
}
