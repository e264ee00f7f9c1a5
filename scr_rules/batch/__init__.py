"""Many cases at once: JSON Lines, CSV or a folder of case files, decided on worker processes.

Decisions come out in input order; a bad record becomes an error line, never a stop.
"""

from scr_rules.batch._run import BatchOptions, BatchSummary, default_jobs, run_batch
from scr_rules.batch._work import Worker, WorkSpec
from scr_rules.vocabulary import InputFormat, OutputFormat  # the names batch takes

__all__ = [
    "BatchOptions",
    "BatchSummary",
    "InputFormat",
    "OutputFormat",
    "WorkSpec",
    "Worker",
    "default_jobs",
    "run_batch",
]
