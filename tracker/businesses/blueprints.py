"""The business records' blueprints, for tracker.blueprints.register."""

from __future__ import annotations

from flask import Blueprint

from tracker.businesses import entry_views, import_views, summary_views, views

BLUEPRINTS: tuple[Blueprint, ...] = (
    views.bp,
    entry_views.bp,
    import_views.bp,
    summary_views.bp,
    summary_views.api_bp,
)
