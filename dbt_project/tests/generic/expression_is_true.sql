{#- Every row satisfies a boolean SQL expression (rows where it is false are returned). -#}
{% test expression_is_true(model, expression) %}

    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)

{% endtest %}
