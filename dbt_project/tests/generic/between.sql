{#- Every non-null value lies within [min_value, max_value] (either bound may be omitted). -#}
{% test between(model, column_name, min_value=none, max_value=none, where_clause=none) %}

    select {{ column_name }} as out_of_bounds_value
    from {{ model }}
    where
        {{ column_name }} is not null
        {%- if where_clause %} and ({{ where_clause }}){% endif %}
        and (
            false
            {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
            {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
        )

{% endtest %}
