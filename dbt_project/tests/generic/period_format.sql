{#- A period is 'year', 'cumulative' or 'ytd:M-N' with 1 <= M <= N <= 12 (e.g. ytd:1-9). -#}
{% test period_format(model, column_name) %}

    select {{ column_name }} as invalid_period
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ column_name }} not in ('year', 'cumulative')
        and not (
            regexp_full_match({{ column_name }}, 'ytd:[0-9]{1,2}-[0-9]{1,2}')
            and cast(regexp_extract({{ column_name }}, 'ytd:([0-9]+)-([0-9]+)', 1) as integer)
            between 1 and 12
            and cast(regexp_extract({{ column_name }}, 'ytd:([0-9]+)-([0-9]+)', 2) as integer)
            between cast(regexp_extract({{ column_name }}, 'ytd:([0-9]+)-([0-9]+)', 1) as integer)
            and 12
        )

{% endtest %}
