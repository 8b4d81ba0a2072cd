"""Tasks only the tests queue: work slow enough to kill a worker in the middle of it."""

import time

from django_tasks import task

from collectif.core.services import job_advance, job_start, job_succeed


@task()
def count_slowly(job_id: str, steps: int, pause: float) -> int:
    """Advance a job `steps` times, `pause` seconds apart."""
    job_start(job_id=job_id, total=steps)
    for _step in range(steps):
        time.sleep(pause)
        job_advance(job_id=job_id)
    job_succeed(job_id=job_id, result={"steps": steps})
    return steps
