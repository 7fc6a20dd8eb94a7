{{ config(materialized='table') }}

{#-
    A table, not a view: three marts read it, and the synonym match upstream is the costly step.

    The disagreement rule. Facts that state the same thing form a statement group:
    district x year x metric (metric_code, else metric_norm) x measure x period x kind.
    Within a group the chosen statement (statement_rank = 1) is
      1. final over estimated: comparator '~' (预计, 约, 左右) loses,
      2. the later report: published_on, then review year, then plan year,
      3. an exact figure ('=') over a bound ('>=', '<='),
      4. for determinism: document_id, the first mention in the report (lowest char_start),
         fact_id.
    Across periods of the same district x year x metric x measure x kind the preferred
    figure (is_preferred) is the chosen statement of the best period: the full year over
    any partial year, a longer year-to-date over a shorter one, cumulative last.
-#}
with

facts as (

    select * from {{ ref('int_facts_enriched') }}

),

ranked as (

    select
        *,
        row_number() over statement_group as statement_rank,
        count(*) over statement_members as n_statements,
        count(distinct document_id) over statement_members as n_reports,
        count(distinct value_base) over statement_members as n_distinct_values,
        count(distinct unit_base) over statement_members as n_distinct_units
    from facts
    window
        statement_members as (
            partition by
                district_key, year, metric_key, measure, period_normalized, kind
        ),
        statement_group as (
            partition by
                district_key, year, metric_key, measure, period_normalized, kind
            order by
                is_estimate asc,
                published_on desc nulls last,
                review_year desc nulls last,
                plan_year desc nulls last,
                case comparator when '=' then 0 else 1 end asc,
                document_id desc,
                char_start asc,
                fact_id asc
        )

),

preferred as (

    select
        fact_id,
        row_number() over (
            partition by district_key, year, metric_key, measure, kind
            order by period_rank asc, period_normalized asc
        ) = 1 as is_preferred
    from ranked
    where statement_rank = 1

),

final as (

    select
        ranked.*,
        ranked.statement_rank = 1 as is_chosen,
        coalesce(preferred.is_preferred, false) as is_preferred
    from ranked
    left join preferred
        on ranked.fact_id = preferred.fact_id

)

select * from final
