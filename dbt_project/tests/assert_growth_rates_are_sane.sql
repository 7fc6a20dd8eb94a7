-- A growth rate outside -100 % .. 10000 % is an extraction error (a level read as a rate).
select
    fact_id,
    measure,
    value
from {{ ref('fct_metric_facts') }}
where measure = 'growth_pct' and (value < -100 or value > 10000)
