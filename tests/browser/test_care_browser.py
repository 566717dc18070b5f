"""A care follow-up in a real browser, on a 360 px phone in Bengali: a facilitator enters a
pre assessment with "yes" on the care item; the coordinator sees the follow-up on the cohort
page at once, records a referral and closes it. Screenshots (bn and en, phone and desktop) of
the follow-up list, the referral form and the participant page go to the folder named by
TRACKER_SCREENSHOTS, when it is set (to look at them; the test asserts without them)."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import DESKTOP, LiveTracker, local_page, visit
from tracker.db import db

NARROW: ViewportSize = {"width": 360, "height": 740}
SHOTS = Path(os.environ["TRACKER_SCREENSHOTS"]) if os.environ.get("TRACKER_SCREENSHOTS") else None
CODE = "CARE-101"
ITEM_BN = "আমি আমার শরীর লুকিয়ে রাখতে চাই।"
ITEM_EN = "I want to hide my body."


def care_cohort(tracker: LiveTracker) -> tuple[int, int]:
    """A cohort of its own in organisation A (fac_a facilitates it), with one participant."""
    from tracker.models import CohortFacilitator, Group, User
    from tracker.records import cohorts, participants

    with tracker.app.app_context():
        cohort = cohorts.create(
            cohorts.CohortInput(
                tracker.world.org_a, "Care cohort", "leaders", "bn", "Hall", date(2025, 2, 3), None
            )
        )
        assert not isinstance(cohort, list), cohort
        person = participants.enrol(
            cohort,
            participants.ParticipantInput(CODE, Group.survivor, True, date(2025, 2, 1), None),
        )
        assert not isinstance(person, list), person
        facilitator = db.session.scalar(db.select(User).where(User.username == "fac_a"))
        assert facilitator is not None
        db.session.add(CohortFacilitator(cohort_id=cohort.id, user_id=facilitator.id))
        db.session.commit()
        return cohort.id, person.id


def switch(page: Page, language: str) -> None:
    page.select_option("#ui-language", language)
    page.locator("header form:has(#ui-language) button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def fits(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def shoot(page: Page, name: str) -> None:
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_yes_reaches_the_coordinator_who_refers_and_closes(
    browser: Browser, tracker: LiveTracker
) -> None:
    cohort_id, participant_id = care_cohort(tracker)
    cohort_url = f"{tracker.url}/cohorts/{cohort_id}"

    with local_page(browser) as page:
        page.set_viewport_size(NARROW)
        tracker.login(page, "fac_a", language="bn")
        visit(page, f"{cohort_url}/assessments/body/pre/{participant_id}")
        item = page.locator("fieldset.item", has=page.locator(f"legend:has-text('{ITEM_BN}')"))
        expect(item.locator("details.care-text")).to_have_count(1)  # the item's own care text
        item.locator("input[name='item-hide-body'][value='1']").check()
        page.locator(".sticky-save button").click()
        expect(page.locator(".flash")).to_contain_text(CODE)
        fits(page)

    with local_page(browser) as page:
        page.set_viewport_size(NARROW)
        tracker.login(page, "coord_a", language="bn")
        visit(page, cohort_url)
        card = page.locator("#follow-ups .care-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text(CODE)
        expect(card).to_contain_text(ITEM_BN)
        fits(page)
        shoot(page, "follow-ups-bn-360")

        card.locator("a.button").click()
        expect(page.locator("main h1")).to_be_visible()
        page.select_option("#service", "helpline")
        page.select_option("#outcome", "waiting")
        page.fill("#referred_on", "2025-02-05")
        page.fill("#next_check_on", "2025-02-10")  # already past: marked overdue
        page.fill("#note", "Agreed to call together on Monday")
        fits(page)
        shoot(page, "referral-form-bn-360")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/cohorts/{cohort_id}(#follow-ups)?$"))
        expect(card).to_contain_text("হেল্পলাইন")  # the service in Bengali
        expect(card.locator(".care-overdue")).to_have_count(1)
        expect(page.locator(".care-card.overdue")).to_have_count(1)
        fits(page)
        shoot(page, "follow-ups-referred-bn-360")

        card.locator("a.code").click()  # her page
        expect(page.locator("main h1")).to_have_text(CODE)
        expect(page.locator("main")).to_contain_text(ITEM_BN)
        fits(page)
        shoot(page, "participant-bn-360")

        # The same pages on a desktop in English, for the record.
        page.set_viewport_size(DESKTOP)
        switch(page, "en")
        shoot(page, "participant-en-desktop")
        visit(page, cohort_url)
        expect(card).to_contain_text(ITEM_EN)
        expect(card).to_contain_text("Helpline")
        shoot(page, "follow-ups-en-desktop")
        card.locator(".care-referrals a").first.click()
        expect(page.locator("#service")).to_have_value("helpline")
        shoot(page, "referral-form-en-desktop")
        page.set_viewport_size(NARROW)
        shoot(page, "referral-form-en-360")
        visit(page, cohort_url)
        shoot(page, "follow-ups-en-360")
        page.set_viewport_size(DESKTOP)
        switch(page, "bn")
        shoot(page, "follow-ups-bn-desktop")
        card.locator(".care-referrals a").first.click()
        shoot(page, "referral-form-bn-desktop")
        visit(page, f"{cohort_url}/participants/{participant_id}")
        shoot(page, "participant-bn-desktop")

        # Back on the phone: close it. It leaves the cohort's list, and her page keeps it.
        page.set_viewport_size(NARROW)
        visit(page, cohort_url)
        card.locator("form button[type=submit]").click()
        expect(page.locator("#follow-ups .care-card")).to_have_count(0)
        visit(page, f"{cohort_url}/participants/{participant_id}")
        expect(page.locator(".care-card.closed")).to_have_count(1)
        switch(page, "en")
        shoot(page, "participant-en-360")
