"""Play the attacker over the demo: the demo evaluator, with every grant, a token and every
scope of every release, tries to work out what the releases hide. Prints what it recovered.

    .venv/bin/python bench/attack_demo.py [--releases N]

It loads the invented demo into a temporary database (which publishes release 1), then, for
each further release, adds a little (one new evaluation response, one withdrawal, a handful
of new participants' answers) and publishes again. The attacker is the one the privacy
tests use (tests/tracker/attacker.py): it shares no code with the tracker's protection.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.tracker import attacker  # noqa: E402

SCALES = {
    "leadership-self-assessment": attacker.Scale(1, 5),
    "restorative-care-self-assessment": attacker.Scale(1, 5),
    "wheel-of-empowerment": attacker.Scale(1, 10),
    "body-image": attacker.Scale(0, 1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=2)
    arguments = parser.parse_args()
    from flask_migrate import upgrade
    from sqlalchemy import select

    from tracker import create_app, demo
    from tracker.db import MIGRATIONS, db
    from tracker.models import User

    folder = Path(tempfile.mkdtemp(prefix="attack-demo-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite'}",
            "CONTENT_ROOT": str(ROOT),
            "SECRET_KEY": "attack-demo",
        }
    )
    with app.test_request_context():
        upgrade(directory=MIGRATIONS)
        started = time.perf_counter()
        print(demo.load_demo().splitlines()[-1], f"({time.perf_counter() - started:.1f} s)")
        evaluator = db.session.scalar(select(User).where(User.username == "demo-evaluator"))
        assert evaluator is not None
        from tracker.records import accounts

        token = accounts.issue_token(evaluator, "attack")
        assert isinstance(token, str)
        rng = random.Random(5)
        for _ in range(1, arguments.releases):
            _change(rng)
            started = time.perf_counter()
            from tracker.summaries import releases

            outcome = releases.publish(demo_content(), 0.75, "attack-demo")
            db.session.commit()
            print(
                f"Release {outcome.release_id}: {outcome.refreshed} parts refreshed, "
                f"{len(outcome.waiting)} waiting ({time.perf_counter() - started:.1f} s)"
            )
    client = app.test_client()

    def fetch(url: str) -> tuple[int, object]:
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
        return response.status_code, response.get_json()

    truth = _truth(app)
    findings: list[attacker.Finding] = []
    hidden = 0
    for linked in (False, True):
        known = attacker.collect(fetch, SCALES, link_releases=linked)
        hidden = max(hidden, len(known.hidden))
        findings += attacker.recovered(known, truth)
    print(f"hidden cells and complements examined: {hidden}")
    print(f"recovered (worked out exactly, or narrowed below their label): {len(findings)}")
    for finding in findings[:20]:
        print("  ", finding)


def demo_content() -> object:
    from tracker import content

    return content.content()


def _change(rng: random.Random) -> None:
    """One new evaluation response, one withdrawal, six new people answering."""
    from sqlalchemy import select

    from tracker.db import db
    from tracker.models import Cohort, Group, Membership, Participant, Timepoint
    from tracker.records import assessments, evaluations, participants

    cohort = db.session.scalars(select(Cohort).order_by(Cohort.id)).first()
    assert cohort is not None
    leaving = db.session.scalar(
        select(Participant).join(Membership).where(Membership.cohort_id == cohort.id)
    )
    assert leaving is not None
    participants.withdraw_consent(leaving)
    for n in range(6):
        made = participants.enrol(
            cohort,
            participants.ParticipantInput(
                f"SUR-9{rng.randrange(1000, 9999)}{n}", Group.survivor, True, date(2025, 1, 1), None
            ),
        )
        assert not isinstance(made, list)
        answers = {item: rng.randint(1, 5) for item in ("resources-inside", "bounce-back")}
        for point in (Timepoint.pre, Timepoint.post):
            assessments.save(
                cohort,
                assessments.AssessmentInput(
                    made.id, "leadership-self-assessment", point, date(2025, 3, 1), answers
                ),
            )
        if n == 0:
            evaluations.save(
                cohort,
                evaluations.EvaluationInput(
                    "useful-skills-survivors", made.id, date(2025, 3, 1), ["other"], "—"
                ),
            )
    db.session.commit()


def _truth(app: object) -> object:
    from tests.tracker.test_disclosure import truth_of

    return truth_of(app)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
