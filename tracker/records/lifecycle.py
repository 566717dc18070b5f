"""Access over time: deactivating and reactivating a user, changing a password, a reset that
makes the next sign-in choose a new one. Each ends the user's sign-ins where it should."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _

from tracker.access.auth_session import end_all_sign_ins
from tracker.access.security import MIN_PASSWORD_LENGTH, check_password, hash_password
from tracker.db import db
from tracker.models import Role, User
from tracker.problems import Problem
from tracker.records import audit


def may_manage(actor: User, user: User) -> bool:
    """Admins manage everyone; a coordinator the coordinators and facilitators of her own
    organisation. Nobody locks themselves out."""
    if actor.id == user.id:
        return False
    if actor.role is Role.admin:
        return True
    return (
        actor.role is Role.coordinator
        and user.organisation_id == actor.organisation_id
        and user.role in (Role.coordinator, Role.facilitator)
    )


def set_active(actor: User, user: User, active: bool) -> list[Problem]:
    if not may_manage(actor, user):
        return [Problem("user", _("You cannot change this user's access."))]
    if user.active == active:
        return []
    user.active = active
    if not active:
        end_all_sign_ins(user.id)  # signed out everywhere, at once
    audit.record(
        "reactivate" if active else "deactivate", "user", user.id, user.organisation_id, actor=actor
    )
    db.session.commit()
    return []


def _password_problems(new: str, confirm: str) -> list[Problem]:
    problems = []
    if len(new) < MIN_PASSWORD_LENGTH:
        problems.append(
            Problem("password", _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
        )
    if new != confirm:
        problems.append(Problem("confirm", _("Passwords differ")))
    return problems


def change_password(user: User, current: str, new: str, confirm: str) -> list[Problem]:
    """Her own new password (no commit of a sign-in: the caller signs her in again)."""
    problems = []
    if not check_password(user.password_hash, current):
        problems.append(Problem("current", _("That is not your current password.")))
    problems += _password_problems(new, confirm)
    if not problems and check_password(user.password_hash, new):
        problems.append(Problem("password", _("Choose a password different from the old one.")))
    if problems:
        return problems
    user.password_hash = hash_password(new)
    user.must_change_password = False
    end_all_sign_ins(user.id)  # any browser that had the old password's sign-in is out
    audit.record("change_password", "user", user.id, user.organisation_id, actor=user)
    db.session.commit()
    return []


def reset_password(actor: User, user: User) -> str | list[Problem]:
    """A temporary password for the actor to pass on; the next sign-in must replace it."""
    if not may_manage(actor, user):
        return [Problem("user", _("You cannot change this user's access."))]
    temporary = secrets.token_urlsafe(9)  # 12 characters, above the minimum length
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    end_all_sign_ins(user.id)
    audit.record("reset_password", "user", user.id, user.organisation_id, actor=actor)
    db.session.commit()
    return temporary
