-- A growth rate outside -100 % .. 10000 % never reaches the marts: int_facts_screened
-- quarantines it (fct_quarantined_facts). A row here means the screen was bypassed, a code
-- defect: it blocks publishing.
select
    fact_id,
    measure,
    value
from {{ ref('fct_metric_facts') }}
where measure = 'growth_pct' and (value < -100 or value > 10000)
