using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <summary>
    /// outbound_emails.kind is now read as <see cref="Features.Mail.MailKind"/> by name; the one kind that was
    /// written in another spelling ("release") is renamed so every stored row reads back.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261205140000_MailKindNames")]
    public partial class MailKindNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("UPDATE outbound_emails SET kind = 'Release' WHERE kind = 'release';");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("UPDATE outbound_emails SET kind = 'release' WHERE kind = 'Release';");
    }
}
