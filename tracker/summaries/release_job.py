"""Making a release in the background, for the Releases page.

The protection audit takes seconds for a few cohorts and minutes for hundreds, longer than a
browser (or a proxy) waits for one page. The page starts the job and returns at once; the
job runs `releases.publish_recorded` in a thread of the server, and the page says how it is
going until it ends. One job at a time in a server: a second request while one runs is told
so. (Two servers making releases at once cannot both store theirs either: see
`Release.follows`.) If the server stops half-way nothing is stored, as a release is one
transaction.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Flask

from tracker.db import db

KEY = "tracker_release_job"
_LOCK = threading.Lock()


@dataclass
class Job:
    made_by: str
    organisation_id: int | None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    release_id: int | None = None
    refused: bool = False  # the release could not be made safely: nothing was stored
    thread: threading.Thread | None = None

    @property
    def done(self) -> bool:
        return self.thread is not None and not self.thread.is_alive()


def current(app: Flask) -> Job | None:
    """The job running now, or the last one that ran in this server."""
    return app.extensions.get(KEY)


def start(app: Flask, made_by: str, organisation_id: int | None) -> Job | None:
    """Start making a release; None when one is being made already."""
    with _LOCK:
        running = current(app)
        if running is not None and not running.done:
            return None
        job = Job(made_by, organisation_id)
        job.thread = threading.Thread(
            target=_run, args=(app, job), name="tracker-release", daemon=True
        )
        app.extensions[KEY] = job
        job.thread.start()
    return job


def wait(app: Flask, timeout: float = 600) -> None:
    """Until the running job (if any) has ended: for the tests and the command line."""
    job = current(app)
    if job is not None and job.thread is not None:
        job.thread.join(timeout)


def _run(app: Flask, job: Job) -> None:
    from tracker.summaries import releases

    with app.app_context():
        try:
            outcome = releases.publish_recorded(job.made_by, job.organisation_id)
            job.release_id = outcome.release_id
        except releases.ReleaseError as error:
            app.logger.error("release refused: %s", error)
            job.refused = True
        except Exception:  # a thread has no one to raise to: log it, tell the page
            app.logger.exception("release failed")
            db.session.rollback()
            job.refused = True
        finally:
            db.session.remove()
