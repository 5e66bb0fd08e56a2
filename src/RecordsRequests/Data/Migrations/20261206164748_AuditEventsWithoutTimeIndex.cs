using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <summary>
    /// Audit events lose their index on time alone: nothing reads the whole trail by time (the admin page and the chain's
    /// check read it by sequence, a request's timeline by request and time, which keeps its index), and every event
    /// written paid for it, thousands a minute when a mailbox catches up.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261206164748_AuditEventsWithoutTimeIndex")]
    public partial class AuditEventsWithoutTimeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_events_occurred_at",
                table: "audit_events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_audit_events_occurred_at",
                table: "audit_events",
                column: "occurred_at");
        }
    }
}
