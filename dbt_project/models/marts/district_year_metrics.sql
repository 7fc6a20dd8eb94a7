with

statements as (

    select * from {{ ref('int_metric_statements_ranked') }}

),

chosen as (

    select * from statements
    where is_chosen and district is not null and year is not null

),

final as (

    select
        ----------  grain
        district,
        year,
        metric_key,
        measure,
        period_normalized as period,
        kind,

        ----------  metric
        metric_code,
        metric_name,
        metric_source,
        metric_tier,
        metric_category,
        case when metric_code is null then metric_norm end as metric_norm,

        ----------  the chosen statement
        value_base,
        unit_base,
        unit_family,
        value,
        unit_raw,
        comparator,
        is_estimate,
        fact_id,
        document_id,
        source_file,
        published_on,

        ----------  how it was chosen
        period_end_month,
        is_full_year,
        is_preferred,
        n_statements,
        n_reports,
        n_distinct_values,
        n_distinct_values > 1 as has_disagreement

    from chosen

)

select * from final
