-- The ten words that set a report apart: TF-IDF of its nouns against the warehouse's own
-- reports, so the vocabulary every report shares (推进, 建设, 街道) sinks. Grain: document x keyword.
with

documents as (

    select * from {{ ref('stg_raw__documents') }}
    where document_status = 'parsed'

),

terms as (

    select * from {{ ref('stg_raw__document_terms') }}
    -- the words of counted reports only: a duplicate must not lower a word's IDF
    where
        is_noun
        and document_id in (select documents.document_id from documents)

),

-- the first sentence of the report that holds the word
evidence as (

    select
        document_id,
        term,
        arg_min(evidence_sentence, char_start) as evidence_sentence
    from {{ ref('stg_raw__term_evidence') }}
    group by document_id, term

),

boilerplate as (

    select term from {{ ref('report_boilerplate_words') }}

),

-- a noun's mentions in the whole report
document_nouns as (

    select
        document_id,
        term,
        any_value(pos) as pos,
        sum(n_mentions) as n_mentions
    from terms
    group by document_id, term

),

document_totals as (

    select
        document_id,
        sum(n_mentions) as n_noun_mentions
    from document_nouns
    group by document_id

),

corpus as (

    select count(distinct document_id) as n_documents
    from document_nouns

),

-- inverse document frequency over the warehouse: every build recomputes it (a new report moves it)
document_frequency as (

    select
        document_nouns.term,
        count(*) as n_documents_with_term,
        ln(any_value(corpus.n_documents) / count(*)) as idf
    from document_nouns
    cross join corpus
    group by document_nouns.term

),

-- the unit's own name and its parent's, without the level (昌硕街道 -> 昌硕, 湖州市安吉县 -> 安吉)
unit_names as (

    select
        document_id,
        district_norm as district,
        regexp_replace(coalesce(district_norm, ''), '(街道|镇|乡|县|区|市)$', '') as unit_stem,
        coalesce(parent_unit, '') as parent_unit,
        regexp_extract(coalesce(parent_unit, ''), '([^省市]{2,}?)(县|区|市)$', 1) as parent_stem,
        coalesce(review_year, plan_year) as year
    from documents

),

scored as (

    select
        document_nouns.document_id,
        unit_names.district,
        unit_names.year,
        document_nouns.term as keyword,
        document_nouns.pos,
        document_nouns.n_mentions,
        document_frequency.n_documents_with_term,
        document_frequency.idf,
        document_nouns.n_mentions
        / document_totals.n_noun_mentions
        * document_frequency.idf as score,
        evidence.evidence_sentence
    from document_nouns
    inner join document_totals
        on document_nouns.document_id = document_totals.document_id
    inner join document_frequency
        on document_nouns.term = document_frequency.term
    inner join unit_names
        on document_nouns.document_id = unit_names.document_id
    -- candidates only: a keyword quotes its sentence
    inner join evidence
        on
            document_nouns.document_id = evidence.document_id
            and document_nouns.term = evidence.term
    where
        document_nouns.term not in (select boilerplate.term from boilerplate)
        -- not the unit's own name, nor a word inside it or holding it (昌硕, 昌硕街道)
        and not contains(coalesce(unit_names.district, ''), document_nouns.term)
        and not (
            length(unit_names.unit_stem) >= 2
            and contains(document_nouns.term, unit_names.unit_stem)
        )
        and not contains(unit_names.parent_unit, document_nouns.term)
        and not (
            length(unit_names.parent_stem) >= 2
            and contains(document_nouns.term, unit_names.parent_stem)
        )
        -- nor another unit of government (安吉县, 宿州市): a place, not what the unit worked on
        and not (document_nouns.pos = 'ns' and regexp_matches(document_nouns.term, '(省|市|县|区)$'))

),

ranked as (

    select
        *,
        row_number() over (
            partition by document_id
            order by score desc, n_mentions desc, keyword asc
        ) as keyword_rank
    from scored

),

final as (

    select
        document_id,
        district,
        year,
        cast(keyword_rank as integer) as keyword_rank,
        keyword,
        pos,
        cast(n_mentions as bigint) as n_mentions,
        cast(n_documents_with_term as bigint) as n_documents_with_keyword,
        cast(idf as double) as idf,
        cast(score as double) as score,
        evidence_sentence
    from ranked
    where keyword_rank <= {{ var('keywords_per_document') }}

)

select * from final
