with

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

facts as (

    select * from {{ ref('int_facts_screened') }}

),

fact_counts as (

    select
        document_id,
        count(*) as n_facts_loaded,
        count(*) filter (where kind = 'actual') as n_actuals,
        count(*) filter (where kind = 'target') as n_targets,
        count(*) filter (where quarantine_reason is not null) as n_facts_quarantined
    from facts
    group by document_id

),

final as (

    select
        documents.document_id,
        documents.source_file,
        documents.content_sha256,
        documents.size_bytes,
        documents.text_encoding as encoding,
        documents.document_status as status,
        documents.quarantine_reason as reason,
        documents.duplicate_of,
        documents.near_duplicate_of,
        documents.near_duplicate_similarity,
        documents.district_norm as district,
        documents.district_as_written,
        documents.district_level,
        documents.parent_unit,
        documents.published_on,
        documents.review_year,
        documents.plan_year,
        documents.document_kind,
        documents.frame_evidence,
        documents.title,
        documents.n_chars,
        documents.n_facts_extracted,
        coalesce(fact_counts.n_facts_loaded, 0) as n_facts_loaded,
        coalesce(fact_counts.n_actuals, 0) as n_actuals,
        coalesce(fact_counts.n_targets, 0) as n_targets,
        coalesce(fact_counts.n_facts_quarantined, 0) as n_facts_quarantined,
        documents.parser_version,
        documents.ingested_at
    from documents
    left join fact_counts
        on documents.document_id = fact_counts.document_id

)

select * from final
