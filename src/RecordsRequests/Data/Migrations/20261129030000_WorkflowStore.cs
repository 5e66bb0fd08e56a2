using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using RecordsRequests.Features.Workflow.Engine;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <summary>The workflow engine's own tables (schema <c>workflow</c>); they are not part of the EF model.</summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261129030000_WorkflowStore")]
    public partial class WorkflowStore : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(WorkflowSchema.Create);

        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(WorkflowSchema.Drop);
    }
}
