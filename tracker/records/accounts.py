"""Organisations, users, evaluator grants and API tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from tracker import audit
from tracker.db import db
from tracker.models import ApiToken, EvaluatorGrant, Organisation, Role, User
from tracker.problems import Problem
from tracker.security import MIN_PASSWORD_LENGTH, check_password, hash_password, new_api_token


@dataclass(frozen=True)
class UserInput:
    username: str
    role: Role
    organisation_id: int | None
    password: str


def create_organisation(name: str) -> Organisation | list[Problem]:
    name = name.strip()
    if not name:
        return [Problem("name", "an organisation needs a name")]
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)):
        return [Problem("name", f"'{name}' exists already")]
    organisation = Organisation(name=name)
    db.session.add(organisation)
    db.session.flush()
    audit.record("create", "organisation", organisation.id, organisation.id, name)
    db.session.commit()
    return organisation


def check_user(data: UserInput, actor: User | None) -> list[Problem]:
    problems: list[Problem] = []
    username = data.username.strip()
    if (
        len(username) < 3
        or not username.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        problems.append(
            Problem("username", "use 3 or more letters, digits, dots, hyphens or underscores")
        )
    elif db.session.scalar(select(User.id).where(User.username == username)):
        problems.append(Problem("username", f"'{username}' is taken"))
    if len(data.password) < MIN_PASSWORD_LENGTH:
        problems.append(Problem("password", f"use at least {MIN_PASSWORD_LENGTH} characters"))
    needs_organisation = data.role in (Role.coordinator, Role.facilitator)
    if needs_organisation and data.organisation_id is None:
        problems.append(
            Problem("organisation_id", f"a {data.role.value} belongs to an organisation")
        )
    if (
        data.organisation_id is not None
        and db.session.get(Organisation, data.organisation_id) is None
    ):
        problems.append(Problem("organisation_id", "no such organisation"))
    if actor is not None and actor.role is Role.coordinator:
        # A coordinator adds people to their own organisation, and no admins or evaluators.
        if data.role not in (Role.coordinator, Role.facilitator):
            problems.append(Problem("role", "a coordinator adds coordinators and facilitators"))
        if data.organisation_id != actor.organisation_id:
            problems.append(Problem("organisation_id", "only your own organisation"))
    return problems


def create_user(data: UserInput, actor: User | None = None) -> User | list[Problem]:
    problems = check_user(data, actor)
    if problems:
        return problems
    organisation_id = data.organisation_id if data.role is not Role.admin else None
    if data.role is Role.evaluator:
        organisation_id = None
    user = User(
        username=data.username.strip(),
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
    from tracker.security import burn_time

    user = db.session.scalar(select(User).where(User.username == username.strip()))
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
        return [Problem("user", "grants are for evaluators")]
    known = set(db.session.scalars(select(Organisation.id)))
    wrong = [oid for oid in organisation_ids if oid not in known]
    if wrong:
        return [Problem("organisations", f"no organisation {oid}") for oid in wrong]
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
        return [Problem("label", "say what the token is for")]
    token, digest = new_api_token()
    db.session.add(ApiToken(user_id=user.id, token_hash=digest, label=label.strip()))
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
