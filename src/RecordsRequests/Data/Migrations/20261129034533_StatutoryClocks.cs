using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class StatutoryClocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "district_closures",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    entered_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_district_closures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "fee_estimates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    estimated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    paper_pages = table.Column<int>(type: "integer", nullable: false),
                    storage_media_cost = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    search_hours = table.Column<decimal>(type: "numeric(8,2)", precision: 8, scale: 2, nullable: false),
                    redaction_hours = table.Column<decimal>(type: "numeric(8,2)", precision: 8, scale: 2, nullable: false),
                    redaction_basis = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    waiver_reason = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    waiver_explanation = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    response_was_late = table.Column<bool>(type: "boolean", nullable: false),
                    subtotal = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    reduction = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    total = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false),
                    itemised_json = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fee_estimates", x => x.id);
                    table.ForeignKey(
                        name: "fk_fee_estimates_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "regime_settings",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    response_days = table.Column<int>(type: "integer", nullable: false),
                    petition_days = table.Column<int>(type: "integer", nullable: false),
                    production_days = table.Column<int>(type: "integer", nullable: false),
                    max_supervisor_extension_days = table.Column<int>(type: "integer", nullable: false),
                    citation = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_regime_settings", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "reminders_sent",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    clock = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recipients = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reminders_sent", x => x.id);
                    table.ForeignKey(
                        name: "fk_reminders_sent_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "request_clock_inputs",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    written_response_on = table.Column<DateOnly>(type: "date", nullable: true),
                    extension_business_days = table.Column<int>(type: "integer", nullable: true),
                    extension_granted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    extension_ordered_date = table.Column<DateOnly>(type: "date", nullable: true),
                    extension_reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    agreed_date = table.Column<DateOnly>(type: "date", nullable: true),
                    agreed_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_clock_inputs", x => x.request_id);
                    table.ForeignKey(
                        name: "fk_request_clock_inputs_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "request_clocks",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    explanation = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    governing = table.Column<bool>(type: "boolean", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_clocks", x => new { x.request_id, x.kind });
                    table.ForeignKey(
                        name: "fk_request_clocks_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "regime_settings",
                columns: new[] { "name", "citation", "description", "max_supervisor_extension_days", "petition_days", "production_days", "response_days", "unit" },
                values: new object[,]
                {
                    { "agency", "G.L. c.66 §10(b)-(c); 950 CMR 32.06(2), (4)", "Massachusetts agency (G.L. c.66 §10)", 20, 20, 15, 10, "BusinessDays" },
                    { "municipal", "G.L. c.66 §10(b)-(c); 950 CMR 32.06(2), (4)", "Massachusetts municipality (G.L. c.66 §10)", 30, 20, 25, 10, "BusinessDays" },
                    { "student-record", "603 CMR 23.07(2)", "Student record access (603 CMR 23.07)", 0, 10, 10, 10, "CalendarDays" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_district_closures_date",
                table: "district_closures",
                column: "date",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_fee_estimates_request_id",
                table: "fee_estimates",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ix_reminders_sent_request_id_clock_kind_due_date",
                table: "reminders_sent",
                columns: new[] { "request_id", "clock", "kind", "due_date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_request_clocks_due_date",
                table: "request_clocks",
                column: "due_date");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "district_closures");

            migrationBuilder.DropTable(
                name: "fee_estimates");

            migrationBuilder.DropTable(
                name: "regime_settings");

            migrationBuilder.DropTable(
                name: "reminders_sent");

            migrationBuilder.DropTable(
                name: "request_clock_inputs");

            migrationBuilder.DropTable(
                name: "request_clocks");
        }
    }
}
