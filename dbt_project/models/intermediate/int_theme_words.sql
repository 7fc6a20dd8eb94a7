-- Which words of the warehouse's vocabulary count for which theme: a word counts for a theme
-- when it contains one of the theme's terms (生态环境 for 生态). Matched on the distinct
-- vocabulary, not on every document row, so the cost grows with the vocabulary, not the corpus.
with

lexicon as (

    select
        theme,
        term,
        coalesce(weight, 1.0) as weight
    from {{ ref('theme_lexicon') }}

),

vocabulary as (

    select distinct term as word
    from {{ ref('stg_raw__document_terms') }}

),

matched as (

    select
        vocabulary.word,
        lexicon.theme,
        lexicon.term,
        lexicon.weight
    from vocabulary
    inner join lexicon
        on contains(vocabulary.word, lexicon.term)

),

-- one row per word and theme: 招商引资 contains 招商 and 引资 and counts once; the heaviest term's
-- weight
final as (

    select
        word,
        theme,
        max(weight) as weight,
        string_agg(term, '|' order by term) as matched_terms
    from matched
    group by word, theme

)

select * from final
