-- district_year_metrics marks exactly one period per district x year x metric x measure x kind
-- as the preferred figure, and a full-year figure wins whenever there is one.
with

metrics as (

    select * from {{ ref('district_year_metrics') }}

),

groups as (

    select
        district,
        year,
        metric_key,
        measure,
        kind,
        count(*) filter (where is_preferred) as n_preferred,
        bool_or(is_full_year) as has_full_year,
        bool_or(is_preferred and is_full_year) as full_year_preferred
    from metrics
    group by all

)

select * from groups
where n_preferred <> 1 or (has_full_year and not full_year_preferred)
