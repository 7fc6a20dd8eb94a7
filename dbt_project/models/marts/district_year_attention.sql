-- Policy attention: how much of each part of a report a theme takes. Grain: document x
-- section x theme, every theme of the lexicon on every section (0 when never mentioned).
with

documents as (

    select * from {{ ref('stg_raw__documents') }}
    where document_status = 'parsed'

),

sections as (

    select * from {{ ref('stg_raw__document_sections') }}

),

terms as (

    select * from {{ ref('stg_raw__document_terms') }}

),

theme_words as (

    select * from {{ ref('int_theme_words') }}

),

evidence as (

    select * from {{ ref('stg_raw__term_evidence') }}

),

lexicon as (

    select * from {{ ref('theme_lexicon') }}

),

themes as (

    select distinct theme from lexicon

),

-- which rows of the lexicon the figures were computed with
lexicon_version as (

    select
        left(
            md5(string_agg(
                theme || '|' || term || '|' || coalesce(cast(weight as varchar), ''), ';'
                order by theme, term
            )), 12
        ) as lexicon_version
    from lexicon

),

-- the review and the plan as written, and the whole report (text before the first heading
-- included)
section_sizes as (

    select
        document_id,
        section,
        n_chars,
        n_words
    from sections
    where section in ('review', 'plan')

    union all

    select
        document_id,
        'document' as section,
        sum(n_chars) as n_chars,
        sum(n_words) as n_words
    from sections
    group by document_id

),

term_rows as (

    select
        document_id,
        section,
        term,
        n_mentions
    from terms
    where section in ('review', 'plan')

    union all

    select
        document_id,
        'document' as section,
        term,
        sum(n_mentions) as n_mentions
    from terms
    group by document_id, term

),

evidence_rows as (

    select
        document_id,
        section,
        term,
        char_start,
        evidence_sentence
    from evidence
    where section in ('review', 'plan')

    union all

    select
        document_id,
        'document' as section,
        term,
        char_start,
        evidence_sentence
    from evidence

),

-- the first sentence of the part that holds a word of the theme (among the words ingest quoted)
theme_examples as (

    select
        evidence_rows.document_id,
        evidence_rows.section,
        theme_words.theme,
        arg_min(evidence_rows.evidence_sentence, evidence_rows.char_start) as example_sentence
    from evidence_rows
    inner join theme_words
        on evidence_rows.term = theme_words.word
    group by evidence_rows.document_id, evidence_rows.section, theme_words.theme

),

theme_counts as (

    select
        term_rows.document_id,
        term_rows.section,
        theme_words.theme,
        sum(term_rows.n_mentions) as n_terms,
        sum(term_rows.n_mentions * theme_words.weight) as weighted_terms,
        count(distinct term_rows.term) as n_distinct_terms,
        string_agg(
            term_rows.term || '×' || term_rows.n_mentions, '、'
            order by term_rows.n_mentions desc, term_rows.term asc
        ) as terms_found
    from term_rows
    inner join theme_words
        on term_rows.term = theme_words.word
    group by term_rows.document_id, term_rows.section, theme_words.theme

),

final as (

    select
        section_sizes.document_id,
        documents.district_norm as district,
        documents.district_level,
        case section_sizes.section
            when 'review' then documents.review_year
            when 'plan' then documents.plan_year
            else coalesce(documents.review_year, documents.plan_year)
        end as year,
        section_sizes.section,
        themes.theme,
        cast(coalesce(theme_counts.n_terms, 0) as bigint) as n_terms,
        cast(coalesce(theme_counts.weighted_terms, 0) as double) as weighted_terms,
        cast(coalesce(theme_counts.n_distinct_terms, 0) as bigint) as n_distinct_terms,
        theme_counts.terms_found,
        theme_examples.example_sentence,
        cast(section_sizes.n_words as bigint) as n_words,
        cast(section_sizes.n_chars as bigint) as n_chars,
        coalesce(theme_counts.n_terms, 0) / nullif(section_sizes.n_words, 0) as share_of_words,
        coalesce(theme_counts.n_terms, 0)
        * 10000.0
        / nullif(section_sizes.n_chars, 0) as per_10k_chars,
        lexicon_version.lexicon_version
    from section_sizes
    inner join documents
        on section_sizes.document_id = documents.document_id
    cross join themes
    cross join lexicon_version
    left join theme_counts
        on
            section_sizes.document_id = theme_counts.document_id
            and section_sizes.section = theme_counts.section
            and themes.theme = theme_counts.theme
    left join theme_examples
        on
            section_sizes.document_id = theme_examples.document_id
            and section_sizes.section = theme_examples.section
            and themes.theme = theme_examples.theme

)

select * from final
