using RecordsRequests.Features.Mail;

namespace RecordsRequests.Features.Correspondence;

public static class LetterKinds
{
    /// <summary>The kind of mail a letter drafted on the write page is.</summary>
    public static MailKind MailKindOf(LetterKind letter) => letter switch
    {
        LetterKind.Acknowledgement => MailKind.Acknowledgement,
        LetterKind.Clarification => MailKind.Clarification,
        LetterKind.Extension => MailKind.Extension,
        LetterKind.FeeEstimate => MailKind.FeeEstimate,
        LetterKind.FinalResponse => MailKind.FinalResponse,
        LetterKind.Denial => MailKind.Denial,
        LetterKind.Withdrawal => MailKind.WithdrawalConfirmation,
        LetterKind.Release => MailKind.Release,
        _ => throw new ArgumentOutOfRangeException(nameof(letter), letter, null),
    };
}
