using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class QueueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_request_next_due_due_date",
                table: "request_next_due");

            migrationBuilder.AddColumn<string>(
                name: "assigned_officer_id",
                table: "request_next_due",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cited_law",
                table: "request_next_due",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "is_open",
                table: "request_next_due",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "received_at",
                table: "request_next_due",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "request_next_due",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            // Every request gets its row (requests that never had clocks had none), and each row a copy of its request's
            // facts; from now on SaveChanges keeps them (RequestNextDue.FollowRequestsAsync). Open as in
            // RequestStatusRules.IsOpen when this migration was written.
            migrationBuilder.Sql("""
                INSERT INTO request_next_due (request_id)
                SELECT r.id FROM requests r WHERE NOT EXISTS (SELECT 1 FROM request_next_due n WHERE n.request_id = r.id);
                UPDATE request_next_due n
                SET received_at = r.received_at, status = r.status, assigned_officer_id = r.assigned_officer_id, cited_law = r.cited_law,
                    is_open = r.status NOT IN ('Closed', 'Withdrawn', 'NotARequest', 'Responded')
                FROM requests r WHERE r.id = n.request_id;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_request_next_due_is_open_due_date_received_at_request_id",
                table: "request_next_due",
                columns: new[] { "is_open", "due_date", "received_at", "request_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_request_next_due_is_open_due_date_received_at_request_id",
                table: "request_next_due");

            migrationBuilder.DropColumn(
                name: "assigned_officer_id",
                table: "request_next_due");

            migrationBuilder.DropColumn(
                name: "cited_law",
                table: "request_next_due");

            migrationBuilder.DropColumn(
                name: "is_open",
                table: "request_next_due");

            migrationBuilder.DropColumn(
                name: "received_at",
                table: "request_next_due");

            migrationBuilder.DropColumn(
                name: "status",
                table: "request_next_due");

            migrationBuilder.CreateIndex(
                name: "ix_request_next_due_due_date",
                table: "request_next_due",
                column: "due_date");
        }
    }
}
