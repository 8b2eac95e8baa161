from datetime import time

from jobs.schedule import daily
from time_off.tasks import accrue_time_off, close_leavers_time_off, remind_pending_time_off

daily(
    "time_off.accrue",
    accrue_time_off,
    at=time(1, 0),
    description="Add the time off people's policies give them (monthly or at the reset date)",
)
daily(
    "time_off.close_leavers",
    close_leavers_time_off,
    at=time(1, 30),
    description="Cancel requests after the last day of people who have left",
)
daily(
    "time_off.remind",
    remind_pending_time_off,
    at=time(9, 0),
    description="Remind approvers of requests waiting for more than 3 working days",
)
