with

metric_dictionary as (

    select * from {{ ref('metric_dictionary') }}

),

listed_synonyms as (

    select
        metric_code,
        unnest(string_split(synonyms, '|')) as synonym
    from metric_dictionary

    union all

    select
        metric_code,
        name_zh as synonym
    from metric_dictionary

),

cleaned as (

    select distinct
        metric_code,
        lower(trim(synonym)) as synonym
    from listed_synonyms
    where trim(coalesce(synonym, '')) <> ''

),

final as (

    select
        metric_code,
        synonym,
        length(synonym) as synonym_length
    from cleaned

)

select * from final
