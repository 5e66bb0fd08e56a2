namespace RecordsRequests.Features.Workflow.Engine;

/// <summary>
/// The engine's tables, in their own schema <c>workflow</c>. Created by the EF migration <c>WorkflowStore</c> (so
/// <c>ops/records migrate</c> and the test fixture install them like every other table) but read and written only by
/// <see cref="PostgresPersistenceProvider"/> with plain SQL, never through AppDbContext.
/// Times the engine compares are UTC ticks (bigint) or timestamptz normalised to UTC; serialized objects are in
/// <c>text</c>, not jsonb, because jsonb reorders keys and Newtonsoft expects <c>$type</c> first.
/// </summary>
internal static class WorkflowSchema
{
    public const string Name = "workflow";

    public const string Create = """
        CREATE SCHEMA IF NOT EXISTS workflow;
        CREATE TABLE workflow.instances (
            id uuid PRIMARY KEY,
            definition_id text NOT NULL,
            version integer NOT NULL,
            description text NULL,
            reference text NULL,
            status integer NOT NULL,
            next_execution bigint NULL,
            create_time timestamptz NOT NULL,
            complete_time timestamptz NULL,
            data text NULL,
            execution_pointers text NOT NULL
        );
        CREATE INDEX ix_instances_runnable ON workflow.instances (next_execution) WHERE status = 0;
        -- One lifecycle per request: a start racing the recovery sweep fails on this index instead of doubling the workflow.
        CREATE UNIQUE INDEX ux_instances_reference ON workflow.instances (definition_id, reference);
        CREATE TABLE workflow.subscriptions (
            id uuid PRIMARY KEY,
            workflow_id uuid NOT NULL,
            step_id integer NOT NULL,
            execution_pointer_id text NOT NULL,
            event_name text NOT NULL,
            event_key text NOT NULL,
            subscribe_as_of timestamptz NOT NULL,
            subscription_data text NULL,
            external_token text NULL,
            external_worker_id text NULL,
            external_token_expiry timestamptz NULL
        );
        CREATE INDEX ix_subscriptions_event ON workflow.subscriptions (event_name, event_key);
        CREATE INDEX ix_subscriptions_workflow ON workflow.subscriptions (workflow_id);
        CREATE TABLE workflow.events (
            id uuid PRIMARY KEY,
            event_name text NOT NULL,
            event_key text NOT NULL,
            event_data text NULL,
            event_time timestamptz NOT NULL,
            is_processed boolean NOT NULL
        );
        CREATE INDEX ix_events_name_key ON workflow.events (event_name, event_key, event_time);
        CREATE INDEX ix_events_unprocessed ON workflow.events (event_time) WHERE NOT is_processed;
        CREATE TABLE workflow.scheduled_commands (
            command_name text NOT NULL,
            data text NOT NULL,
            execute_time bigint NOT NULL,
            PRIMARY KEY (command_name, data)
        );
        CREATE INDEX ix_scheduled_commands_time ON workflow.scheduled_commands (execute_time);
        CREATE TABLE workflow.execution_errors (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            workflow_id text NOT NULL,
            execution_pointer_id text NOT NULL,
            error_time timestamptz NOT NULL,
            message text NOT NULL
        );
        CREATE INDEX ix_execution_errors_workflow ON workflow.execution_errors (workflow_id);
        """;

    public const string Drop = "DROP SCHEMA IF EXISTS workflow CASCADE;";
}
