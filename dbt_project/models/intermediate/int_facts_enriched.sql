with

-- plausible facts only: the others are in fct_quarantined_facts (int_facts_screened)
facts as (

    select * exclude (quarantine_reason)
    from {{ ref('int_facts_screened') }}
    where quarantine_reason is null

),

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

metric_synonyms as (

    select * from {{ ref('int_metric_synonyms') }}

),

metric_dictionary as (

    select * from {{ ref('metric_dictionary') }}

),

unit_conversions as (

    select * from {{ ref('unit_conversions') }}

),

-- a fact belongs to the metric whose LONGEST synonym its metric_norm contains
-- (ties: the alphabetically first metric_code, then synonym, so a rebuild picks the same row);
-- matched once per distinct phrase
metric_phrases as (

    select distinct metric_norm
    from facts
    where metric_norm is not null

),

candidate_matches as (

    select
        metric_phrases.metric_norm,
        metric_synonyms.metric_code,
        metric_synonyms.synonym as matched_synonym,
        row_number() over (
            partition by metric_phrases.metric_norm
            order by
                metric_synonyms.synonym_length desc,
                metric_synonyms.metric_code asc,
                metric_synonyms.synonym asc
        ) as match_rank
    from metric_phrases
    inner join metric_synonyms
        on contains(lower(metric_phrases.metric_norm), metric_synonyms.synonym)

),

metric_matches as (

    select
        metric_norm,
        metric_code,
        matched_synonym
    from candidate_matches
    where match_rank = 1

),

joined as (

    select
        facts.*,
        documents.district_norm,
        documents.district_level,
        documents.parent_unit,
        documents.published_on,
        documents.review_year,
        documents.plan_year,
        metric_matches.metric_code,
        metric_matches.matched_synonym,
        metric_dictionary.name_zh as dictionary_name,
        metric_dictionary.direction as metric_direction,
        metric_dictionary.category as metric_category,
        metric_dictionary.tier as dictionary_tier,
        unit_conversions.unit_base as converted_unit_base,
        unit_conversions.factor as unit_factor,
        unit_conversions.unit_family as converted_unit_family,
        nullif(trim(coalesce(facts.unit_norm, facts.unit_raw, '')), '')
            as unit_clean,
        regexp_extract(facts.period, '^ytd:(\d{1,2})-(\d{1,2})$', 1)
            as ytd_first_month,
        regexp_extract(facts.period, '^ytd:(\d{1,2})-(\d{1,2})$', 2)
            as ytd_last_month
    from facts
    left join documents
        on facts.document_id = documents.document_id
    left join metric_matches
        on facts.metric_norm = metric_matches.metric_norm
    left join metric_dictionary
        on metric_matches.metric_code = metric_dictionary.metric_code
    left join unit_conversions
        on
            nullif(trim(coalesce(facts.unit_norm, facts.unit_raw, '')), '')
            = unit_conversions.unit_norm

),

enriched as (

    select
        ----------  ids
        fact_id,
        document_id,
        source_file,

        ----------  reporting unit: district_key also separates facts of
        ----------  documents whose unit is unknown
        district_norm as district,
        district_level,
        parent_unit,
        coalesce(district_norm, '#' || document_id) as district_key,

        ----------  kind and time: a fact without a year takes the year of
        ----------  its section (review year for actuals, plan year for targets)
        kind,
        coalesce(
            stated_year,
            case kind when 'target' then plan_year else review_year end
        ) as year,
        stated_year is null as is_year_inferred,
        period,
        case
            when period = 'year' then 'year'
            when period = 'ytd:1-12' then 'year'
            else period
        end as period_normalized,
        case
            when period = 'year' then 12
            when ytd_last_month <> '' then cast(ytd_last_month as integer)
        end as period_end_month,
        coalesce(period = 'year' or period = 'ytd:1-12', false)
            as is_full_year,
        -- full year first, then the part of the year covering most months,
        -- cumulative last
        case
            when period = 'year' or period = 'ytd:1-12' then 0
            when ytd_last_month <> ''
                then
                    12 - cast(ytd_last_month as integer)
                    + cast(ytd_first_month as integer)
            when period = 'cumulative' then 20
            else 30
        end as period_rank,
        section,
        tier,
        published_on,
        review_year,
        plan_year,

        ----------  metric
        metric_raw,
        metric_norm,
        metric_code,
        matched_synonym,
        coalesce(
            dictionary_name, nullif(metric_norm, ''), nullif(metric_raw, ''), '?'
        ) as metric_name,
        coalesce(
            metric_code, nullif(metric_norm, ''), nullif(metric_raw, ''), '?'
        ) as metric_key,
        case
            when metric_code is null then 'as_written' else 'dictionary'
        end as metric_source,
        coalesce(dictionary_tier, 2) as metric_tier,
        metric_direction,
        metric_category,

        ----------  the number as written
        measure,
        value,
        unit_raw,
        unit_norm,
        comparator,
        comparator = '~' as is_estimate,
        number_text,

        ----------  the number in base units: rates stay in percent or points;
        ----------  levels convert through the unit dictionary, unknown
        ----------  units stay as written
        case
            when measure = 'level'
                then round(value * coalesce(unit_factor, 1), 6)
            else value
        end as value_base,
        case
            when measure = 'growth_pp' then 'pp'
            when measure in ('growth_pct', 'ratio_pct') then 'percent'
            else coalesce(converted_unit_base, unit_clean)
        end as unit_base,
        case
            when measure = 'growth_pp' then 'percentage_point'
            when measure in ('growth_pct', 'ratio_pct') then 'percent'
            when converted_unit_family is not null then converted_unit_family
            when unit_clean is null then 'none'
            else 'unknown'
        end as unit_family,
        measure <> 'level' or converted_unit_base is not null
        or unit_clean is null as is_unit_known,

        ----------  evidence
        sentence,
        sentence_start,
        char_start,
        char_end

    from joined

)

select * from enriched
