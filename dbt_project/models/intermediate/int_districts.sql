with

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

parsed_documents as (

    select * from documents
    where document_status = 'parsed' and district_norm is not null

),

-- the most recent document first: published_on, then review year, then plan year
ordered as (

    select
        *,
        row_number() over (
            partition by district_norm
            order by
                published_on desc nulls last,
                review_year desc nulls last,
                plan_year desc nulls last,
                document_id desc
        ) as recency_rank
    from parsed_documents

),

latest_parent as (

    select
        district_norm,
        parent_unit
    from ordered
    where parent_unit is not null
    qualify row_number() over (
            partition by district_norm order by recency_rank
        ) = 1

),

latest_level as (

    select
        district_norm,
        district_level
    from ordered
    where district_level is not null
    qualify row_number() over (
            partition by district_norm order by recency_rank
        ) = 1

),

summarized as (

    select
        district_norm,
        count(*) as n_documents,
        count(distinct parent_unit) as n_parent_units,
        string_agg(distinct district_as_written, '|' order by district_as_written)
            as names_as_written,
        min(published_on) as first_published_on,
        max(published_on) as last_published_on,
        least(min(review_year), min(plan_year)) as first_year,
        greatest(max(review_year), max(plan_year)) as last_year
    from parsed_documents
    group by district_norm

),

final as (

    select
        summarized.district_norm as district,
        latest_level.district_level,
        latest_parent.parent_unit,
        summarized.names_as_written,
        summarized.n_documents,
        summarized.n_parent_units,
        summarized.first_published_on,
        summarized.last_published_on,
        summarized.first_year,
        summarized.last_year
    from summarized
    left join latest_parent
        on summarized.district_norm = latest_parent.district_norm
    left join latest_level
        on summarized.district_norm = latest_level.district_norm

)

select * from final
