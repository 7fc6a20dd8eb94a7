{#-
    One row per target fact, with the actual that answers it.
    1. Same-sentence completion ("完成年计划X的Y%"): an actual ratio_pct fact in the same
       sentence (document_id, sentence_start) after a level target: completion_ratio = Y/100,
       met iff Y >= 100, actual_value = X * Y / 100.
    2. Otherwise the reported actual of the same district, year, metric (code, else
       metric_norm) and measure, from any report: the chosen statement (final over 预计,
       latest report) of the target's own period if there is one, else of the best period.
    Status: pending (no actual), not_comparable (different unit_base or period),
    else met / missed by the target's comparator and the metric's direction.
-#}
with

statements as (

    select * from {{ ref('int_metric_statements_ranked') }}

),

targets as (

    select * from statements
    where kind = 'target'

),

chosen_actuals as (

    select * from statements
    where kind = 'actual' and is_chosen

),

completion_statements as (

    select * from statements
    where kind = 'actual' and measure = 'ratio_pct'

),

completions as (

    select
        targets.fact_id as target_fact_id,
        completion_statements.fact_id as actual_fact_id,
        completion_statements.value as completion_pct
    from targets
    inner join completion_statements
        on
            targets.document_id = completion_statements.document_id
            and targets.sentence_start = completion_statements.sentence_start
            and targets.char_start < completion_statements.char_start
    where targets.measure = 'level'
    qualify row_number() over (
            partition by targets.fact_id
            order by completion_statements.char_start asc
        ) = 1

),

reported_actuals as (

    select
        targets.fact_id as target_fact_id,
        chosen_actuals.fact_id as actual_fact_id,
        chosen_actuals.value_base as actual_value,
        chosen_actuals.unit_base as actual_unit_base,
        chosen_actuals.period_normalized as actual_period,
        chosen_actuals.comparator as actual_comparator,
        chosen_actuals.is_estimate as actual_is_estimate,
        chosen_actuals.document_id as actual_document_id,
        chosen_actuals.source_file as actual_source_file
    from targets
    inner join chosen_actuals
        on
            targets.district_key = chosen_actuals.district_key
            and targets.year = chosen_actuals.year
            and targets.metric_key = chosen_actuals.metric_key
            and targets.measure = chosen_actuals.measure
    qualify row_number() over (
            partition by targets.fact_id
            order by
                chosen_actuals.period_normalized = targets.period_normalized desc,
                chosen_actuals.period_rank asc,
                chosen_actuals.period_normalized asc
        ) = 1

),

joined as (

    select
        targets.fact_id as target_fact_id,
        targets.document_id as target_document_id,
        targets.source_file as target_source_file,
        targets.district,
        targets.year,
        targets.metric_code,
        targets.metric_name,
        targets.metric_key,
        targets.metric_source,
        targets.metric_tier,
        targets.metric_category,
        targets.measure,
        targets.period_normalized as period,
        targets.value_base as target_value,
        targets.unit_base,
        targets.comparator as target_comparator,
        targets.value as target_value_as_written,
        targets.unit_raw as target_unit_raw,
        targets.sentence as target_sentence,
        coalesce(
            targets.metric_direction,
            case
                when
                    targets.measure in ('growth_pct', 'growth_pp')
                    and targets.value < 0
                    then 'down'
            end,
            '{{ var("default_direction") }}'
        ) as direction,
        case
            when targets.metric_direction is not null then 'dictionary'
            when
                targets.measure in ('growth_pct', 'growth_pp')
                and targets.value < 0
                then 'target_sign'
            else 'default'
        end as direction_source,
        completions.completion_pct,
        case
            when completions.target_fact_id is not null
                then 'same_sentence_completion'
            when reported_actuals.target_fact_id is not null
                then 'reported_actual'
        end as match_method,
        case
            when completions.target_fact_id is not null
                then round(targets.value_base * completions.completion_pct / 100, 6)
            else reported_actuals.actual_value
        end as actual_value,
        case
            when completions.target_fact_id is not null then targets.unit_base
            else reported_actuals.actual_unit_base
        end as actual_unit_base,
        case
            when completions.target_fact_id is not null
                then targets.period_normalized
            else reported_actuals.actual_period
        end as actual_period,
        case
            when completions.target_fact_id is not null then '='
            else reported_actuals.actual_comparator
        end as actual_comparator,
        coalesce(
            completions.target_fact_id is null
            and reported_actuals.actual_is_estimate,
            false
        ) as actual_is_estimate,
        coalesce(completions.actual_fact_id, reported_actuals.actual_fact_id)
            as actual_fact_id,
        case
            when completions.target_fact_id is not null
                then targets.document_id
            else reported_actuals.actual_document_id
        end as actual_document_id,
        case
            when completions.target_fact_id is not null
                then targets.source_file
            else reported_actuals.actual_source_file
        end as actual_source_file
    from targets
    left join completions
        on targets.fact_id = completions.target_fact_id
    left join reported_actuals
        on targets.fact_id = reported_actuals.target_fact_id

),

assessed as (

    select
        *,
        case
            when match_method is null then null
            when coalesce(actual_unit_base, '') <> coalesce(unit_base, '')
                then 'different unit_base'
            when actual_period <> period
                then 'actual for period ' || actual_period
        end as not_comparable_reason,
        {{ var("approx_tolerance") }} * abs(target_value) as approx_tolerance,
        1e-9 * greatest(abs(target_value), 1) as epsilon
    from joined

),

statused as (

    select
        *,
        case
            when match_method = 'same_sentence_completion'
                then
                    case when completion_pct >= 100 then 'met' else 'missed' end
            when match_method is null then 'pending'
            when not_comparable_reason is not null then 'not_comparable'
            when target_comparator = '>='
                then
                    case
                        when actual_value >= target_value - epsilon then 'met'
                        else 'missed'
                    end
            when target_comparator = '<='
                then
                    case
                        when actual_value <= target_value + epsilon then 'met'
                        else 'missed'
                    end
            when target_comparator = '~'
                then
                    case
                        when
                            abs(actual_value - target_value)
                            <= approx_tolerance + epsilon
                            then 'met'
                        when
                            direction = 'up'
                            and actual_value >= target_value - epsilon
                            then 'met'
                        when
                            direction = 'down'
                            and actual_value <= target_value + epsilon
                            then 'met'
                        else 'missed'
                    end
            when direction = 'down'
                then
                    case
                        when actual_value <= target_value + epsilon then 'met'
                        else 'missed'
                    end
            when actual_value >= target_value - epsilon then 'met'
            else 'missed'
        end as status
    from assessed

),

final as (

    select
        ----------  the target
        target_fact_id,
        target_document_id,
        target_source_file,
        district,
        year,
        metric_code,
        metric_name,
        metric_key,
        metric_source,
        metric_tier,
        metric_category,
        measure,
        period,
        target_value,
        unit_base,
        target_comparator,
        target_value_as_written,
        target_unit_raw,
        target_sentence,
        direction,
        direction_source,

        ----------  the actual that answers it
        match_method,
        actual_value,
        actual_unit_base,
        actual_period,
        actual_comparator,
        actual_is_estimate,
        actual_fact_id,
        actual_document_id,
        actual_source_file,
        completion_pct,

        ----------  assessment
        status,
        not_comparable_reason,
        case
            when status in ('met', 'missed') then actual_value - target_value
        end as gap,
        case
            when match_method = 'same_sentence_completion'
                then completion_pct / 100
            when
                status in ('met', 'missed')
                and measure in ('level', 'ratio_pct')
                and target_value <> 0
                then actual_value / target_value
        end as completion_ratio
    from statused

)

select * from final
