using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Accounts;

/// <summary>Staff sessions and the limits on sign-in and password reset (section <c>Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>
    /// A staff session with no activity for this long ends; the next page asks to sign in again. The default until an
    /// admin sets another on the sessions page (/admin/sessions).
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "12:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failed sign-ins from one client for one account within <see cref="FailureWindow"/> before that client must wait.</summary>
    [Range(1, 1000)]
    public int FailuresPerClientAndAccount { get; set; } = 5;

    /// <summary>Failed sign-ins for one account from anywhere within <see cref="FailureWindow"/> before every try is slowed down.</summary>
    [Range(1, 10000)]
    public int FailuresPerAccountBeforeSlowing { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password-reset e-mails to one account within an hour; further requests send nothing (the answer is the same).</summary>
    [Range(1, 100)]
    public int ResetMailsPerAccountPerHour { get; set; } = 3;
}
