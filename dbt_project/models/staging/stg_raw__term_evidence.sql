with

source as (

    select * from {{ source('raw', 'term_evidence') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(term as varchar) as term,
        cast(sentence as varchar) as evidence_sentence

    from source

)

select * from renamed
