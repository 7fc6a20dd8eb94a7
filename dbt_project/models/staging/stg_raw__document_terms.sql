with

source as (

    select * from {{ source('raw', 'document_terms') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(section as varchar) as section,
        cast(term as varchar) as term,
        cast(pos as varchar) as pos,
        cast(is_noun as boolean) as is_noun,
        cast(n_mentions as integer) as n_mentions

    from source

)

select * from renamed
