from datetime import time

from checklists.tasks import checklist_access_end, checklist_digest
from jobs.schedule import daily, hourly

hourly(
    "checklists.end_access",
    checklist_access_end,
    minute=2,
    description="End leavers' access after their end date; tell HR/IT if Entra still has them",
)
daily(
    "checklists.digest",
    checklist_digest,
    at=time(7, 0),
    description="Send each person their checklist tasks due tomorrow and overdue",
)
