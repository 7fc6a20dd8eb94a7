with

source as (

    select * from {{ source('raw', 'document_sections') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(section as varchar) as section,
        cast(n_chars as integer) as n_chars,
        cast(n_words as integer) as n_words

    from source

)

select * from renamed
