using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Deadlines;

/// <summary>Which reminder a clock is due, from the first warning to the escalation after the date has passed.</summary>
public enum ReminderKind
{
    FirstWarning,
    LastWarning,
    DueToday,
    Overdue,
}
