namespace RecordsRequests.Hosting;

/// <summary>The public doors whose abuse is limited and recorded.</summary>
public enum AbuseChannel
{
    SignIn,
    PasswordReset,
    PublicForm,
    Smtp,
}
