"""Paper: the printed handbook, a print pack per module, blank forms, and the offline bundle.

PDFs are printed by Chromium (through Playwright, with the system's chromium, never a
downloaded browser) from HTML made from the same content model as the site: Chromium shapes
Bengali and Hindi correctly and writes a text layer that extracts as the real words.
"""
