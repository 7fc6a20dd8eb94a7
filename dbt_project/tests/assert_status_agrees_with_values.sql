-- The status of a target agrees with the values it was judged on.
select
    target_fact_id,
    status,
    actual_fact_id,
    completion_ratio
from {{ ref('targets_vs_actuals') }}
where
    (status = 'pending' and actual_fact_id is not null)
    or (status <> 'pending' and actual_fact_id is null)
    or (status = 'not_comparable' and not_comparable_reason is null)
    or (status in ('met', 'missed') and (gap is null or actual_value is null))
    or (
        match_method = 'same_sentence_completion'
        and (status = 'met') <> (completion_ratio >= 1)
    )
