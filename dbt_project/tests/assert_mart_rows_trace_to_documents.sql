-- Every row of a mart points at a document of dim_documents.
-- A test of several models: dagster-dbt loads it as an asset check only when its meta names
-- the one asset it belongs to (else every build logs a warning). It is the central fact table,
-- where a reader looks first; the check stays blocking (severity error), as the dbt test was.
{{ config(meta={"dagster": {"ref": {"name": "fct_metric_facts"}}}) }}

with

documents as (

    select document_id from {{ ref('dim_documents') }}

),

mart_references as (

    select
        'fct_metric_facts' as mart,
        fact_id as row_id,
        document_id
    from {{ ref('fct_metric_facts') }}

    union all

    select
        'district_year_metrics' as mart,
        fact_id as row_id,
        document_id
    from {{ ref('district_year_metrics') }}

    union all

    select
        'targets_vs_actuals' as mart,
        target_fact_id as row_id,
        target_document_id as document_id
    from {{ ref('targets_vs_actuals') }}

    union all

    select
        'targets_vs_actuals (actual)' as mart,
        actual_fact_id as row_id,
        actual_document_id as document_id
    from {{ ref('targets_vs_actuals') }}
    where actual_fact_id is not null

)

select mart_references.*
from mart_references
left join documents
    on mart_references.document_id = documents.document_id
where documents.document_id is null
