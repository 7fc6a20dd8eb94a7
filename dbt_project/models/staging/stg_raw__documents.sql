with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(source_file as varchar) as source_file,
        cast(content_sha256 as varchar) as content_sha256,

        ----------  file
        cast(size_bytes as bigint) as size_bytes,
        cast(encoding as varchar) as text_encoding,
        cast(status as varchar) as document_status,
        cast(reason as varchar) as quarantine_reason,
        cast(duplicate_of as varchar) as duplicate_of,
        cast(near_duplicate_of as varchar) as near_duplicate_of,
        cast(near_duplicate_similarity as double) as near_duplicate_similarity,
        cast(text_fingerprint as varchar) as text_fingerprint,
        cast(parser_version as varchar) as parser_version,
        cast(n_chars as integer) as n_chars,
        cast(n_facts as integer) as n_facts_extracted,

        ----------  reporting unit
        cast(district as varchar) as district_as_written,
        cast(district_norm as varchar) as district_norm,
        cast(district_level as varchar) as district_level,
        cast(parent_unit as varchar) as parent_unit,

        ----------  report
        cast(title as varchar) as title,
        cast(review_year as integer) as review_year,
        cast(plan_year as integer) as plan_year,
        cast(document_kind as varchar) as document_kind,
        cast(frame_evidence as varchar) as frame_evidence,

        ----------  dates
        cast(published_on as date) as published_on,
        cast(ingested_at as timestamp) as ingested_at

    from source

)

select * from renamed
