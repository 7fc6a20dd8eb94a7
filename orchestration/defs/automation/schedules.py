"""A daily refresh: picks up what the sensor did not (it may be off); a folder scan if nothing changed."""

import dagster as dg

from orchestration.defs.automation.sensors import BUILD_JOB

daily_refresh_schedule = dg.ScheduleDefinition(
    name="daily_refresh",
    job_name=BUILD_JOB,
    cron_schedule="0 6 * * *",  # before the working day in China
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Rebuild the warehouse from the reports folder every day at 06:00 Beijing time. "
    "Off by default: turn it on under Automation (needs the daemon, which `dagster dev` runs).",
)
