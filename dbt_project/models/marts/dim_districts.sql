with

districts as (

    select * from {{ ref('int_districts') }}

)

select * from districts
