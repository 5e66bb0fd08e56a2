using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditHashChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<JsonDocument>(
                name: "before",
                table: "audit_events",
                type: "json",
                nullable: true,
                oldClrType: typeof(JsonDocument),
                oldType: "jsonb",
                oldNullable: true);

            migrationBuilder.AlterColumn<JsonDocument>(
                name: "after",
                table: "audit_events",
                type: "json",
                nullable: true,
                oldClrType: typeof(JsonDocument),
                oldType: "jsonb",
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "hash",
                table: "audit_events",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "previous_hash",
                table: "audit_events",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "sequence",
                table: "audit_events",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Rows written before the chain existed get their order; their hashes stay empty, which the chain check reports.
            migrationBuilder.Sql("UPDATE audit_events SET sequence = ordered.n FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_events) AS ordered WHERE audit_events.id = ordered.id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_sequence",
                table: "audit_events",
                column: "sequence",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_events_sequence",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "hash",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "previous_hash",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "audit_events");

            migrationBuilder.AlterColumn<JsonDocument>(
                name: "before",
                table: "audit_events",
                type: "jsonb",
                nullable: true,
                oldClrType: typeof(JsonDocument),
                oldType: "json",
                oldNullable: true);

            migrationBuilder.AlterColumn<JsonDocument>(
                name: "after",
                table: "audit_events",
                type: "jsonb",
                nullable: true,
                oldClrType: typeof(JsonDocument),
                oldType: "json",
                oldNullable: true);
        }
    }
}
