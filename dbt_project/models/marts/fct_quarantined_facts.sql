with

screened as (

    select * from {{ ref('int_facts_screened') }}

),

final as (

    select
        ----------  ids
        fact_id,
        document_id,
        source_file,

        ----------  why it is not in fct_metric_facts
        quarantine_reason as reason,

        ----------  the fact as extracted
        kind,
        stated_year as year,
        period,
        metric_raw,
        measure,
        value,
        unit_raw,
        comparator,
        number_text,

        ----------  evidence
        sentence,
        sentence_start,
        char_start,
        char_end

    from screened
    where quarantine_reason is not null

)

select * from final
