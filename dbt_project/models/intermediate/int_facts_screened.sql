{#-
    The one place where a fact is judged plausible, and where the facts of a document that
    repeats another's text (status 'duplicate', ingest/duplicates.py) are left out: they stay
    in raw.facts, ready if the copy becomes the document, and reach no mart. A fact that fails a rule it can fail
    on its own (a typo in the report, a number misread) gets a quarantine_reason: the marts
    read only the facts without one (int_facts_enriched), fct_quarantined_facts lists the
    others with the reason, and the build publishes. Tests on grain, relationships and
    contracts still stop publishing: those only fail when the code is wrong.
-#}
with

counted_documents as (

    select document_id from {{ ref('stg_raw__documents') }}
    where document_status = 'parsed'

),

staged_facts as (

    select * from {{ ref('stg_raw__facts') }}

),

facts as (

    select staged_facts.*
    from staged_facts
    inner join counted_documents
        on staged_facts.document_id = counted_documents.document_id

),

screened as (

    select
        *,
        case
            when not isfinite(value)
                then 'value is not a finite number'
            when abs(value) >= 1e15
                then 'magnitude of 1e15 or more: no figure of a local report is that large'
            when measure = 'growth_pct' and value < -100
                then 'growth below -100 %: nothing falls by more than all of it'
            when measure = 'growth_pct' and value > 10000
                then 'growth above 10000 %: a level read as a rate'
        end as quarantine_reason
    from facts

)

select * from screened
