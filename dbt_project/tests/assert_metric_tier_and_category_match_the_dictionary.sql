-- The tier and category that district_year_metrics and targets_vs_actuals carry are the
-- dictionary's (dim_metrics) for a canonical metric; a phrase as written has tier 2 and no
-- category.
-- A test of several models: its meta names the asset it is a check of (see
-- assert_mart_rows_trace_to_documents), the mart headline queries read.
{{ config(meta={"dagster": {"ref": {"name": "district_year_metrics"}}}) }}
with

dictionary as (

    select * from {{ ref('dim_metrics') }}

),

carried as (

    select
        'district_year_metrics' as mart,
        fact_id,
        metric_code,
        metric_source,
        metric_tier,
        metric_category
    from {{ ref('district_year_metrics') }}
    union all
    select
        'targets_vs_actuals' as mart,
        target_fact_id as fact_id,
        metric_code,
        metric_source,
        metric_tier,
        metric_category
    from {{ ref('targets_vs_actuals') }}

),

checked as (

    select
        carried.*,
        dictionary.tier as dictionary_tier,
        dictionary.category as dictionary_category
    from carried
    left join dictionary
        on carried.metric_code = dictionary.metric_code

)

select * from checked
where
    case
        when metric_source = 'dictionary'
            then
                metric_tier is distinct from dictionary_tier
                or metric_category is distinct from dictionary_category
        else metric_tier <> 2 or metric_category is not null
    end
