"""Organisations, users, evaluator grants and API tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from tracker.access.security import (
    MIN_PASSWORD_LENGTH,
    check_password,
    hash_password,
    new_api_token,
)
from tracker.db import db
from tracker.models import ApiToken, EvaluatorGrant, Organisation, Role, User
from tracker.problems import Problem
from tracker.records import audit

# After folding: Latin letters, digits, dots, hyphens, underscores. Other scripts' look-alikes
# (a Cyrillic "а" in "аdmin") cannot pass for an existing name because they are not allowed.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")


def normal_username(name: str) -> str:
    """One spelling per name: compatibility forms folded (fullwidth "Ａｄｍｉｎ" is "admin"),
    case folded ("Demo-Facilitator" is "demo-facilitator"), spaces around trimmed."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


@dataclass(frozen=True)
class UserInput:
    username: str
    role: Role
    organisation_id: int | None
    password: str


def create_organisation(name: str) -> Organisation | list[Problem]:
    name = name.strip()
    if not name:
        return [Problem("name", _("An organisation needs a name."))]
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)):
        return [Problem("name", _("'%(name)s' exists already.", name=name))]
    organisation = Organisation(name=name)
    db.session.add(organisation)
    db.session.flush()
    audit.record("create", "organisation", organisation.id, organisation.id, name)
    db.session.commit()
    return organisation


def check_user(data: UserInput, actor: User | None) -> list[Problem]:
    problems: list[Problem] = []
    username = normal_username(data.username)
    if not USERNAME.fullmatch(username):
        problems.append(
            Problem(
                "username",
                _("Use 3 or more Latin letters, digits, dots, hyphens or underscores."),
            )
        )
    elif username in {normal_username(name) for name in db.session.scalars(select(User.username))}:
        problems.append(
            Problem("username", _("'%(name)s' is taken: choose another.", name=username))
        )
    if len(data.password) < MIN_PASSWORD_LENGTH:
        problems.append(
            Problem("password", _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
        )
    needs_organisation = data.role in (Role.coordinator, Role.facilitator)
    if needs_organisation and data.organisation_id is None:
        problems.append(
            Problem(
                "organisation_id", _("Coordinators and facilitators belong to an organisation.")
            )
        )
    if (
        data.organisation_id is not None
        and db.session.get(Organisation, data.organisation_id) is None
    ):
        problems.append(Problem("organisation_id", _("There is no such organisation.")))
    if actor is not None and actor.role is Role.coordinator:
        # A coordinator adds people to their own organisation, and no admins or evaluators.
        if data.role not in (Role.coordinator, Role.facilitator):
            problems.append(
                Problem("role", _("A coordinator adds coordinators and facilitators only."))
            )
        if data.organisation_id != actor.organisation_id:
            problems.append(Problem("organisation_id", _("Only your own organisation.")))
    return problems


def create_user(data: UserInput, actor: User | None = None) -> User | list[Problem]:
    problems = check_user(data, actor)
    if problems:
        return problems
    organisation_id = data.organisation_id if data.role is not Role.admin else None
    if data.role is Role.evaluator:
        organisation_id = None
    user = User(
        username=normal_username(data.username),
        password_hash=hash_password(data.password),
        role=data.role,
        organisation_id=organisation_id,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "create", "user", user.id, organisation_id, f"{user.username} ({data.role.value})", actor
    )
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> User | None:
    from tracker.access.security import burn_time

    wanted = normal_username(username)
    user = db.session.scalar(select(User).where(User.username == wanted)) or db.session.scalar(
        select(User).where(User.username == username.strip())  # made before names were folded
    )
    if user is None:
        burn_time(password)
        return None
    if not user.active or not check_password(user.password_hash, password):
        return None
    return user


def grants(user: User) -> list[int]:
    return list(
        db.session.scalars(
            select(EvaluatorGrant.organisation_id).where(EvaluatorGrant.user_id == user.id)
        )
    )


def set_grants(evaluator: User, organisation_ids: list[int]) -> list[Problem]:
    if evaluator.role is not Role.evaluator:
        return [Problem("user", _("Grants are for evaluators."))]
    known = set(db.session.scalars(select(Organisation.id)))
    wrong = [oid for oid in organisation_ids if oid not in known]
    if wrong:
        return [Problem("organisations", _("There is no such organisation."))]
    db.session.execute(delete(EvaluatorGrant).where(EvaluatorGrant.user_id == evaluator.id))
    for oid in sorted(set(organisation_ids)):
        db.session.add(EvaluatorGrant(user_id=evaluator.id, organisation_id=oid))
    audit.record(
        "grant", "user", evaluator.id, None, ", ".join(map(str, sorted(set(organisation_ids))))
    )
    db.session.commit()
    return []


def issue_token(user: User, label: str) -> str | list[Problem]:
    if not label.strip():
        return [Problem("label", _("Say what the token is for."))]
    token, digest = new_api_token()
    # Tokens end: a script's key copied somewhere and forgotten stops working by itself.
    expires_on = date.today() + timedelta(days=int(current_app.config["API_TOKEN_DAYS"]))
    db.session.add(
        ApiToken(user_id=user.id, token_hash=digest, label=label.strip(), expires_on=expires_on)
    )
    audit.record("issue", "api_token", user.id, None, label.strip())
    db.session.commit()
    return token


def tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        return False
    token.revoked = True
    audit.record("revoke", "api_token", token.id, None, token.label)
    db.session.commit()
    return True
