-- The number's offsets cut a non-empty span out of the text, inside its sentence.
select
    fact_id,
    sentence_start,
    char_start,
    char_end
from {{ ref('fct_metric_facts') }}
where
    char_end <= char_start
    or char_start < 0
    or char_start < sentence_start
