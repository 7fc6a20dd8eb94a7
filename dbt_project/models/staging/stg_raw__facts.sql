with

source as (

    select * from {{ source('raw', 'facts') }}

),

renamed as (

    select
        ----------  ids
        cast(fact_id as varchar) as fact_id,
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,

        ----------  what and when
        cast(kind as varchar) as kind,
        cast(year as integer) as stated_year,
        cast(period as varchar) as period,
        cast(section as varchar) as section,
        cast(tier as integer) as tier,
        cast(metric_raw as varchar) as metric_raw,
        cast(metric_norm as varchar) as metric_norm,

        ----------  the number
        cast(measure as varchar) as measure,
        cast(value as double) as value,
        cast(unit_raw as varchar) as unit_raw,
        cast(unit_norm as varchar) as unit_norm,
        cast(comparator as varchar) as comparator,
        cast(number_text as varchar) as number_text,

        ----------  evidence
        cast(sentence as varchar) as sentence,
        cast(sentence_start as integer) as sentence_start,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end

    from source

)

select * from renamed
