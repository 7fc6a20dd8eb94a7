with

statements as (

    select * from {{ ref('int_metric_statements_ranked') }}

),

final as (

    select
        ----------  ids
        fact_id,
        document_id,
        source_file,

        ----------  who and when
        district,
        kind,
        year,
        is_year_inferred,
        period,
        period_end_month,
        is_full_year,
        section,
        tier,
        published_on,

        ----------  metric
        metric_raw,
        metric_norm,
        metric_code,
        metric_name,
        metric_key,
        metric_category,

        ----------  the number
        measure,
        value,
        unit_raw,
        value_base,
        unit_base,
        unit_family,
        is_unit_known,
        comparator,
        is_estimate,
        number_text,

        ----------  disagreement rule (see district_year_metrics)
        n_statements,
        is_chosen,
        is_preferred,

        ----------  evidence
        sentence,
        sentence_start,
        char_start,
        char_end

    from statements

)

select * from final
