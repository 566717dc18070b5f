"""Business records of programmes that help survivors run micro-businesses (Kaarya): her
businesses, their stocktakings and disbursements, entered on her page or by CSV import, and
the protected business summary.

The package follows the flow, one step per module:

    vocabulary          the curriculum's lists (curriculum/businesses.yaml) and the tracker's words
    models              the tables (imported by tracker.models)
    checks              validation shared by the forms and the import: errors as values
    records, entries    writes (one transaction each, audited, version-checked) and reads
    imports             the CSV import, all or nothing and idempotent
    erasure             what a consent withdrawal removes
    parts, sections     counts per cohort, and the summary's tables built from them
    forms, views,       the pages: her businesses, the cohort's list, the summary, the API
    summary_views
    demo                invented businesses for `tracker demo`

Participant-level rows never leave the organisation: evaluators see the business summary
only as part of a protected release, like every other figure.
"""
