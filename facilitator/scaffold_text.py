"""The words of the skeletons `facilitator new` writes: example text an author replaces.

Every value is a sentence that passes the checks as it stands and says what belongs there,
so a module can be built and read in the handbook from its first minute.
"""

from __future__ import annotations

MODULE = """\
# A module of the handbook, in English. Lines that start with # are notes for you: the
# handbook does not show them. Replace the example text with your own, keep each name and
# its colon, and run `facilitator check` after each change. Text that contains ": " goes in
# quotes, like purpose: "Two parts: first we draw, then we talk."
id: {id}
title: {title}
programme: {programme}
{phase_line}audience: {audience}  # survivors, social_workers or mixed
summary: >-
  What the group does in this module and why, in two or three sentences. A facilitator
  reads this first, to decide whether the module fits their group.
duration_minutes: 120  # the minutes of the sessions below add up to this
# Topic ids from curriculum/curriculum.yaml, like [resilience]. A hard topic (hard: true
# there) needs a care note in the session that touches it: see the session "main" below.
topics: []
objectives:
  - Name one thing each participant wants to take home from this module.
components:
  - The main idea of the module, in a few words
methods: [{methods}]  # method ids from curriculum/curriculum.yaml
notes: notes.md
sessions:
  - id: arrive
    title: Arriving
    minutes: 20
    method: {opening}
    purpose: Bring everyone into the room and remind the group of its ground rules.
    steps:
      - Greet each person by the name they choose to use here.
      - Breathe together three times, feet on the floor.
      - Read the group's ground rules aloud, including the right to pass.
    materials: [Chart paper, Markers]
  - id: main
    title: The main activity
    minutes: 60
    method: {main}
    purpose: What this session is for, in one sentence.
    # A session that touches a hard topic carries a care note with these five parts:
    # care:
    #   content_note: What the session touches, said plainly and without detail.
    #   grounding: A short grounding to do together before it starts.
    #   right_to_pass: How to say that anyone may pass or step out, with no reason given.
    #   closing: How to close, so that nobody leaves carrying it alone.
    #   referral: Where to refer someone who needs more support than the group gives.
    steps:
      - Explain the activity in two or three sentences.
      - Form groups of four to six and give each group its task.
      - Invite each group to share one thing with everyone.
    materials: [Chart paper, Markers]
    debrief:
      - What did you notice?
      - What will you take with you?
  - id: tea
    title: Tea
    minutes: 15
    kind: break
  - id: closing
    title: Closing circle
    minutes: 25
    method: {closing}
    purpose: Close together, so that everyone leaves steady.
    steps:
      - Sit in a circle and invite each person to name one thing they take home.
      - Thank the group and say when it meets next.
expected_changes:
  - id: first-change
    text: What you hope will change in the participants' lives or work after this module.
    # Instrument items that measure it, as [instrument-id/item-id]: see curriculum/instruments/.
    measured_by: []
"""

NOTES = """\
# Notes for the facilitator: {title}

Background for the facilitator, in plain words: why this module matters, the ideas it rests
on, and what to watch for in the group. Participants do not see these notes.

## Key ideas

- One idea per line, in plain words.

## Keeping the group safe

What in this module may be hard for this group, and how to respond when it is.
"""

HANDOUT = """\
# {title}

The handout, in short sentences that a participant can read on their own or have read to
them. Keep it to one page, and use pictures where words may not reach everyone.
"""
