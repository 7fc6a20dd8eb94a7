with

source as (

    select * from {{ source('raw', 'term_evidence') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(section as varchar) as section,
        cast(term as varchar) as term,
        cast(char_start as integer) as char_start,
        cast(sentence as varchar) as evidence_sentence

    from source

)

select * from renamed
