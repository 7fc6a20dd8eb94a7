with

metric_dictionary as (

    select * from {{ ref('metric_dictionary') }}

),

facts as (

    select * from {{ ref('int_metric_statements_ranked') }}

),

fact_counts as (

    select
        metric_code,
        count(*) as n_facts,
        count(distinct document_id) as n_documents
    from facts
    where metric_code is not null
    group by metric_code

),

final as (

    select
        metric_dictionary.metric_code,
        metric_dictionary.name_zh as name,
        metric_dictionary.synonyms,
        metric_dictionary.category,
        metric_dictionary.unit_family,
        metric_dictionary.direction,
        metric_dictionary.tier,
        coalesce(fact_counts.n_facts, 0) as n_facts,
        coalesce(fact_counts.n_documents, 0) as n_documents
    from metric_dictionary
    left join fact_counts
        on metric_dictionary.metric_code = fact_counts.metric_code

)

select * from final
