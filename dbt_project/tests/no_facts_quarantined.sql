{{ config(severity='warn') }}
-- A warning, never an error: quarantined facts are kept out of the marts and the build publishes.
-- As an asset check of fct_quarantined_facts it shows how many there are, build after build.
select
    fact_id,
    source_file,
    reason
from {{ ref('fct_quarantined_facts') }}
