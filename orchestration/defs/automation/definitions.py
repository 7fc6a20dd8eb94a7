"""Automation definitions: the inbox sensor and the daily schedule, both off until turned on in the UI."""

import dagster as dg

from orchestration.defs.automation.schedules import daily_refresh_schedule
from orchestration.defs.automation.sensors import reports_inbox_sensor

defs = dg.Definitions(sensors=[reports_inbox_sensor], schedules=[daily_refresh_schedule])
